// Peer figure for bench_ingest_tsv: DuckDB reading the same Criteo TSV into a
// typed in-memory table (label/I1..I13 INTEGER, C1..C26 VARCHAR: DuckDB has
// no hex-to-integer reader). Prints "duckdb seconds=S".
// Usage: node ingest_tsv_duckdb.mjs FILE.tsv THREADS  (DuckDB from the peers' install.sh)
import { createRequire } from 'module';
import os from 'os';
const peers = process.env.PEERS_HOME ?? `${os.homedir()}/.cache/kiln-peers`;
const { DuckDBInstance } = createRequire(`${peers}/`)('@duckdb/node-api');
const [file, threads] = process.argv.slice(2);
const ints = Array.from({length: 13}, (_, i) => `'I${i + 1}':'INTEGER'`);
const cats = Array.from({length: 26}, (_, i) => `'C${i + 1}':'VARCHAR'`);
const columns = ["'label':'INTEGER'", ...ints, ...cats].join(',');
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads=${Number(threads) || 2}`);
const t0 = process.hrtime.bigint();
await con.run(`CREATE TABLE raw AS SELECT * FROM read_csv('${file}', delim='\t', header=false, nullstr='', columns={${columns}})`);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`duckdb seconds=${seconds.toFixed(3)}`);
