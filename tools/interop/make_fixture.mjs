// make_fixture.mjs: writes Parquet test files with DuckDB or Polars, so the
// reader is tested on files no fixture covers (other seeds, row-group sizes,
// codecs, page versions, nulls, lists, empty files, long strings).
//
// Usage: node make_fixture.mjs --engine duckdb|polars --kind KIND --out FILE
//          [--rows N] [--seed S] [--codec C] [--row-group-size R] [--v2]
//          [--page-size BYTES]
//
//   KIND  types       one column per supported type, ~10% nulls
//         lists       lists of ints, strings, doubles (, decimals, dates):
//                     null lists, empty lists, null elements
//         nulls       columns that are entirely null, beside an id
//         bigstrings  strings of 64 KiB and more
//   --codec  uncompressed, snappy, gzip, zstd, lz4 (lz4_raw for DuckDB),
//            brotli
//   --v2     DuckDB: PARQUET_VERSION V2 (data page v2, delta encodings)
// --rows 0 writes an empty file. The data depends only on --seed and --rows.
import { createRequire } from 'module';
import path from 'path';
import { fileURLToPath } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'package.json'));

function parseArguments(argv) {
  const options = { engine: 'duckdb', kind: 'types', out: null, rows: 1000, seed: 1, codec: 'snappy',
    rowGroupSize: null, v2: false, pageSize: null };
  for (let i = 0; i < argv.length; ++i) {
    const next = () => argv[++i];
    switch (argv[i]) {
      case '--engine': options.engine = next(); break;
      case '--kind': options.kind = next(); break;
      case '--out': options.out = next(); break;
      case '--rows': options.rows = Number(next()); break;
      case '--seed': options.seed = Number(next()); break;
      case '--codec': options.codec = next(); break;
      case '--row-group-size': options.rowGroupSize = Number(next()); break;
      case '--v2': options.v2 = true; break;
      case '--page-size': options.pageSize = Number(next()); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!options.out) throw new Error('--out is required');
  return options;
}

// ---------------------------------------------------------------------------
// DuckDB: data from SQL over range(rows), pseudo-random by hash(i, seed, k).

function duckdbColumns(kind, seed) {
  const h = (k) => `hash(i, ${seed}, ${k})`;
  const maybe = (k, expression) => `CASE WHEN ${h(k)} % 10 = 0 THEN NULL ELSE ${expression} END`;
  const signed = (k, range) => `(${h(k)} % ${2 * range + 1})::BIGINT - ${range}`;
  switch (kind) {
    case 'types': return [
      `i::INTEGER AS id`,
      `${maybe(1, `(${signed(2, 127)})::TINYINT`)} AS i8`,
      `${maybe(3, `(${signed(4, 32767)})::SMALLINT`)} AS i16`,
      `${maybe(5, `(${h(6)} % 4611686018427387904)::BIGINT - 2305843009213693952`)} AS i64`,
      `${maybe(7, `(${h(8)} % 256)::UTINYINT`)} AS u8`,
      `${maybe(9, `(${h(10)} % 65536)::USMALLINT`)} AS u16`,
      `${maybe(11, `(${h(12)} % 4294967296)::UINTEGER`)} AS u32`,
      `${maybe(13, `${h(14)}::UBIGINT`)} AS u64`,
      `${maybe(15, `CASE WHEN ${h(16)} % 97 = 0 THEN 'nan'::FLOAT ELSE ((${h(17)} % 2000001)::FLOAT / 1000 - 1000)::FLOAT END`)} AS f32`,
      `${maybe(18, `CASE WHEN ${h(19)} % 89 = 0 THEN '-inf'::DOUBLE ELSE (${h(20)} % 100000000)::DOUBLE / 7919 - 5000 END`)} AS f64`,
      `${maybe(21, `${h(22)} % 2 = 0`)} AS flag`,
      `${maybe(23, `'cat_' || (${h(24)} % 40)`)} AS cat`,
      `${maybe(25, `md5(i::VARCHAR || '${seed}') || repeat('é✓', (${h(26)} % 5)::INTEGER)`)} AS txt`,
      `${maybe(27, `DATE '1950-01-01' + (${h(28)} % 40000)::INTEGER`)} AS day`,
      `${maybe(29, `make_timestamp((${h(30)} % 2000000000000000)::BIGINT)`)} AS ts`,
      `${maybe(31, `make_timestamp((${h(32)} % 2000000000000000)::BIGINT)::TIMESTAMP_MS`)} AS ts_ms`,
      `${maybe(33, `make_timestamp((${h(34)} % 2000000000000000)::BIGINT)::TIMESTAMP_NS`)} AS ts_ns`,
      `${maybe(35, `make_timestamp((${h(36)} % 2000000000000000)::BIGINT)::TIMESTAMPTZ`)} AS tstz`,
      `${maybe(37, `((${signed(38, 9999999)})::DECIMAL(9,0) / 100)::DECIMAL(9,2)`)} AS d9`,
      `${maybe(39, `((${signed(40, 99999999999)})::DECIMAL(18,0) / 1000)::DECIMAL(18,3)`)} AS d18`,
      `${maybe(41, `((${signed(42, 999999999999)})::DECIMAL(38,0) * 1000000000000000 + ${h(43)} % 1000)::DECIMAL(38,5)`)} AS d38`,
      `${maybe(44, `unhex(md5(i::VARCHAR || 'b${seed}'))`)} AS bin`,
      `${maybe(45, `TIME '00:00:00' + to_microseconds((${h(46)} % 86400000000)::BIGINT)`)} AS tm`,
      `${maybe(47, `md5(i::VARCHAR || 'u${seed}')::UUID`)} AS id_uuid`,
    ];
    case 'lists': return [
      `i::INTEGER AS id`,
      `CASE WHEN ${h(1)} % 7 = 0 THEN NULL ELSE list_transform(range((${h(2)} % 6)::BIGINT), x -> CASE WHEN hash(x, i, ${seed}) % 5 = 0 THEN NULL ELSE x * 1000 + i END) END AS li`,
      `CASE WHEN ${h(3)} % 6 = 0 THEN NULL ELSE list_transform(range((${h(4)} % 4)::BIGINT), x -> CASE WHEN hash(x, i, ${seed} + 1) % 4 = 0 THEN NULL ELSE 's' || (x + i) END) END AS ls`,
      `CASE WHEN ${h(5)} % 5 = 0 THEN NULL ELSE list_transform(range((${h(6)} % 3)::BIGINT), x -> (x + i) / 8) END AS ld`,
      `CASE WHEN ${h(7)} % 5 = 0 THEN NULL ELSE list_transform(range((${h(8)} % 3)::BIGINT), x -> ((x * 100 + i)::DECIMAL(10,0) / 100)::DECIMAL(10,2)) END AS ldec`,
      `CASE WHEN ${h(9)} % 5 = 0 THEN NULL ELSE list_transform(range((${h(10)} % 3)::BIGINT), x -> DATE '2000-01-01' + (x + i)::INTEGER) END AS ldate`,
      `CASE WHEN ${h(11)} % 5 = 0 THEN NULL ELSE list_transform(range((${h(12)} % 4)::BIGINT), x -> hash(x, i) % 2 = 0) END AS lb`,
    ];
    case 'nulls': return [
      `i::INTEGER AS id`, `NULL::INTEGER AS n_int`, `NULL::BIGINT AS n_big`, `NULL::DOUBLE AS n_double`,
      `NULL::VARCHAR AS n_text`, `NULL::DATE AS n_date`, `NULL::DECIMAL(20,4) AS n_dec`, `NULL::BIGINT[] AS n_list`,
      `NULL::BOOLEAN AS n_bool`,
    ];
    case 'bigstrings': return [
      `i::INTEGER AS id`,
      `${maybe(1, `repeat(md5(i::VARCHAR || '${seed}'), 2048 + (${h(2)} % 3000)::INTEGER)`)} AS big`,
      `${maybe(3, `'k' || (${h(4)} % 3)`)} AS small`,
    ];
    default: throw new Error(`unknown kind ${kind}`);
  }
}

async function writeWithDuckDb(options) {
  const { DuckDBInstance } = require('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const columns = duckdbColumns(options.kind, options.seed).join(',\n  ');
  const codec = options.codec === 'lz4' ? 'lz4_raw' : options.codec;
  const copyOptions = [`FORMAT parquet`, `COMPRESSION '${codec}'`];
  if (options.rowGroupSize) copyOptions.push(`ROW_GROUP_SIZE ${options.rowGroupSize}`);
  if (options.v2) copyOptions.push(`PARQUET_VERSION V2`);
  const query = `SELECT ${columns} FROM range(${options.rows}) t(i) ORDER BY i`;
  await connection.run(`COPY (${query}) TO '${options.out.replaceAll("'", "''")}' (${copyOptions.join(', ')})`);
}

// ---------------------------------------------------------------------------
// Polars: data from a seeded generator in JS.

function makeRandom(seed) {
  let state = BigInt(seed) * 0x9E3779B97F4A7C15n & 0xFFFFFFFFFFFFFFFFn;
  return () => {
    state = (state + 0x9E3779B97F4A7C15n) & 0xFFFFFFFFFFFFFFFFn;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & 0xFFFFFFFFFFFFFFFFn;
    z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & 0xFFFFFFFFFFFFFFFFn;
    return Number((z ^ (z >> 31n)) >> 11n) / 2 ** 53;
  };
}

function polarsFrame(pl, kind, rows, seed) {
  const random = makeRandom(seed);
  const column = (make, nullEvery = 10) =>
    Array.from({ length: rows }, (_, i) => (random() * nullEvery < 1 ? null : make(i)));
  const int = (low, high) => () => Math.floor(low + random() * (high - low + 1));
  const series = (name, values, type) => pl.Series(name, values, type);
  // Polars cannot infer a list type from lists that are all null or absent.
  const listSeries = (name, values, inner) => (values.some((value) => value !== null)
    ? pl.Series(name, values, pl.List(inner))
    : pl.Series(name, values, inner).cast(pl.List(inner)));
  switch (kind) {
    case 'types': return pl.DataFrame([
      series('id', Array.from({ length: rows }, (_, i) => i), pl.Int32),
      series('i8', column(int(-128, 127)), pl.Int8),
      series('i16', column(int(-32768, 32767)), pl.Int16),
      series('i64', column(int(-1e15, 1e15)), pl.Int64),
      series('u8', column(int(0, 255)), pl.UInt8),
      series('u16', column(int(0, 65535)), pl.UInt16),
      series('u32', column(int(0, 4294967295)), pl.UInt32),
      series('u64', column(int(0, 2 ** 52)), pl.UInt64),
      series('f32', column(() => Math.fround(random() * 2000 - 1000)), pl.Float32),
      series('f64', column(() => (random() < 0.01 ? NaN : random() * 1e6 - 5e5)), pl.Float64),
      series('flag', column(() => random() < 0.5), pl.Bool),
      series('cat', column(() => `cat_${Math.floor(random() * 40)}`), pl.Utf8),
      series('txt', column((i) => `${i.toString(36)}-${random().toString(36).slice(2)}é✓`), pl.Utf8),
      series('day', column(int(-20000, 30000)), pl.Int32).cast(pl.Date),
      series('ts_ms', column(int(-1e12, 4e12)), pl.Int64).cast(pl.Datetime('ms')),
      series('ts_us', column(int(-1e15, 4e15)), pl.Int64).cast(pl.Datetime('us')),
      series('ts_ns', column(int(-1e15, 4e15)), pl.Int64).cast(pl.Datetime('ns')),
    ]);
    case 'lists': return pl.DataFrame([
      series('id', Array.from({ length: rows }, (_, i) => i), pl.Int32),
      listSeries('li', column(() => Array.from({ length: int(0, 5)() }, () => (random() < 0.2 ? null : int(-1e6, 1e6)())), 7),
                 pl.Int64),
      listSeries('ls', column(() => Array.from({ length: int(0, 3)() }, () => (random() < 0.2 ? null : `s${int(0, 99)()}`)), 6),
                 pl.Utf8),
      listSeries('ld', column(() => Array.from({ length: int(0, 3)() }, () => random() * 100), 5), pl.Float64),
    ]);
    case 'nulls': return pl.DataFrame([
      series('id', Array.from({ length: rows }, (_, i) => i), pl.Int32),
      series('n_int', Array(rows).fill(null), pl.Int32),
      series('n_double', Array(rows).fill(null), pl.Float64),
      series('n_text', Array(rows).fill(null), pl.Utf8),
      listSeries('n_list', Array(rows).fill(null), pl.Int64),
    ]);
    case 'bigstrings': return pl.DataFrame([
      series('id', Array.from({ length: rows }, (_, i) => i), pl.Int32),
      series('big', column((i) => `${i}:`.padEnd(65536 + int(0, 70000)(), String.fromCharCode(97 + (i % 26)))), pl.Utf8),
    ]);
    default: throw new Error(`unknown kind ${kind}`);
  }
}

function writeWithPolars(options) {
  const pl = require('nodejs-polars');
  const frame = polarsFrame(pl, options.kind, options.rows, options.seed);
  const sinkOptions = { compression: options.codec === 'lz4_raw' ? 'lz4' : options.codec, statistics: true };
  if (options.rowGroupSize) sinkOptions.rowGroupSize = options.rowGroupSize;
  if (options.pageSize) sinkOptions.dataPagesizeLimit = options.pageSize;
  frame.lazy().sinkParquet(options.out, sinkOptions).collect();
}

const options = parseArguments(process.argv.slice(2));
try {
  if (options.engine === 'duckdb') await writeWithDuckDb(options);
  else if (options.engine === 'polars') writeWithPolars(options);
  else throw new Error(`unknown engine ${options.engine}`);
} catch (error) {
  console.error(`make_fixture: ${error.message}`);
  process.exit(2);
}
