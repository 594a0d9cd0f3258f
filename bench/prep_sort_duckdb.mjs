// Peer figure for bench/prep_sort.sh: DuckDB sorting the Criteo TSV by
// (C1, I1), nulls last, into one Parquet file; and the check that two sorted
// outputs hold the same key sequence.
// Usage: node prep_sort_duckdb.mjs sort IN.tsv OUT.parquet THREADS
//        node prep_sort_duckdb.mjs keys PARQUET_GLOB C1_IS_UINT32(0|1)
//   keys prints the row count and an md5 over "C1:I1" in row order (C1 as
//   8 hex digits), so Kiln's uint32 C1 and DuckDB's text C1 compare equal.
import { createRequire } from 'module';
import os from 'os';
const peers = process.env.PEERS_HOME ?? `${os.homedir()}/.cache/kiln-peers`;
const { DuckDBInstance } = createRequire(`${peers}/`)('@duckdb/node-api');
const [mode, source, target, threads] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
if (mode === 'sort') {
  await con.run(`SET threads=${Number(threads) || 2}`);
  const ints = Array.from({length: 13}, (_, i) => `'I${i + 1}':'INTEGER'`);
  const cats = Array.from({length: 26}, (_, i) => `'C${i + 1}':'VARCHAR'`);
  const columns = ["'label':'INTEGER'", ...ints, ...cats].join(',');
  const t0 = process.hrtime.bigint();
  await con.run(`COPY (SELECT * FROM read_csv('${source}', delim='\t', header=false, nullstr='', columns={${columns}})
                 ORDER BY C1 ASC NULLS LAST, I1 ASC NULLS LAST) TO '${target}' (FORMAT parquet)`);
  console.log(`duckdb seconds=${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(3)}`);
} else {
  const c1 = target === '1' ? `lower(printf('%08x', C1))` : 'C1';
  const reader = await con.runAndReadAll(`SELECT count(*)::VARCHAR, md5(string_agg(k, ',' ORDER BY rn)) FROM
      (SELECT row_number() OVER () AS rn, coalesce(${c1}, '-') || ':' || coalesce(I1::VARCHAR, '-') AS k
       FROM read_parquet('${source}'))`);
  const [count, digest] = reader.getRows()[0];
  console.log(`rows=${count} keys=${digest}`);
}
