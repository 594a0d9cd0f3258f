// read_canonical.mjs: prints the rows of a Parquet file (or a directory of
// them) as DuckDB reads them, in Kiln's canonical JSON Lines form (see
// src/kiln/io/json_format.h), so tests can compare `kiln cat` with DuckDB.
//
// Usage: node read_canonical.mjs PATH [--columns a,b] [--where SQL] [--limit N]
//
// PATH may be a directory: its **/*.parquet files are read with Hive
// partitioning (DuckDB types integral keys BIGINT, as Kiln does, but also
// turns date-like keys into DATE, which Kiln keeps as strings; and it may
// order the keys differently: pass --columns to fix the order). --where takes a SQL condition (DuckDB syntax). Values are
// written as Kiln writes them: integers as digits, floats as JS's shortest
// round-trip text (tests compare floats numerically), strings and binary
// with Kiln's escapes (invalid UTF-8 bytes as \u00XX), dates "YYYY-MM-DD",
// timestamps and times as integer microseconds, decimals with their scale,
// UUIDs as their 16 bytes, lists as arrays. Exits 2 when DuckDB fails.
import { createRequire } from 'module';
import fs from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'package.json'));
const duckdb = require('@duckdb/node-api');

function parseArguments(argv) {
  const options = { path: null, columns: null, where: null, limit: null };
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '--columns') options.columns = argv[++i].split(',').filter((name) => name);
    else if (argv[i] === '--where') options.where = argv[++i];
    else if (argv[i] === '--limit') options.limit = Number(argv[++i]);
    else options.path = argv[i];
  }
  if (!options.path) {
    console.error('usage: node read_canonical.mjs PATH [--columns a,b] [--where SQL] [--limit N]');
    process.exit(2);
  }
  return options;
}

// Output is built as "byte strings" (one latin1 character per byte) and
// written as such, so bytes Kiln passes through unchanged (such as overlong
// sequences) survive exactly.

// Kiln's AppendJsonString over UTF-8 bytes: printable ASCII as is, quote,
// backslash, \n, \r, \t escaped, valid multi-byte sequences kept, every other
// byte as \u00XX.
function utf8SequenceLength(bytes, i) {
  const lead = bytes[i];
  const length = lead < 0x80 ? 1 : (lead >> 5) === 0x6 ? 2 : (lead >> 4) === 0xE ? 3 : (lead >> 3) === 0x1E ? 4 : 0;
  if (length === 0 || i + length > bytes.length) return 0;
  for (let k = 1; k < length; ++k) if ((bytes[i + k] & 0xC0) !== 0x80) return 0;
  return length;
}

function jsonStringOfBytes(bytes) {
  const out = ['"'];
  const escapes = { 0x22: '\\"', 0x5C: '\\\\', 0x0A: '\\n', 0x0D: '\\r', 0x09: '\\t' };
  for (let i = 0; i < bytes.length;) {
    const c = bytes[i];
    if (escapes[c]) {
      out.push(escapes[c]);
      ++i;
      continue;
    }
    if (c >= 0x20 && c < 0x80) {
      out.push(String.fromCharCode(c));
      ++i;
      continue;
    }
    const length = c < 0x20 ? 0 : utf8SequenceLength(bytes, i);
    if (length === 0) {
      out.push('\\u00' + c.toString(16).padStart(2, '0'));
      ++i;
    } else {
      out.push(Buffer.from(bytes.subarray(i, i + length)).toString('latin1'));
      i += length;
    }
  }
  out.push('"');
  return out.join('');
}

function jsonString(text) {
  return jsonStringOfBytes(new Uint8Array(Buffer.from(text, 'utf8')));
}

// Days since 1970-01-01 to "YYYY-MM-DD", as Kiln's AppendDate32 prints it.
function dateText(days) {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const yearText = year < 0 ? '-' + String(-year).padStart(3, '0') : String(year).padStart(4, '0');
  return `${yearText}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function decimalText(value, scale) {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString();
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const whole = digits.slice(0, digits.length - scale);
  const text = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole;
  return (negative ? '-' : '') + text;
}

function floorDivide(value, divisor) {
  const quotient = value / divisor;
  return value % divisor < 0n ? quotient - 1n : quotient;
}

function uuidBytes(uint128) {
  const bytes = new Uint8Array(16);
  for (let i = 15; i >= 0; --i) {
    bytes[i] = Number(uint128 & 0xFFn);
    uint128 >>= 8n;
  }
  return bytes;
}

function floatText(value) {
  if (Number.isNaN(value)) return '"NaN"';
  if (value === Infinity) return '"Infinity"';
  if (value === -Infinity) return '"-Infinity"';
  return String(value);
}

// One DuckDB value in canonical form.
function canonical(value) {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) && !Object.is(value, -0) ? String(value) : floatText(value);
  if (typeof value === 'string') return jsonString(value);
  if (value instanceof duckdb.DuckDBListValue || value instanceof duckdb.DuckDBArrayValue) {
    return '[' + value.items.map(canonical).join(',') + ']';
  }
  if (value instanceof duckdb.DuckDBBlobValue) return jsonStringOfBytes(value.bytes);
  if (value instanceof duckdb.DuckDBDateValue) return jsonString(dateText(value.days));
  if (value instanceof duckdb.DuckDBTimestampValue || value instanceof duckdb.DuckDBTimestampTZValue) {
    return value.micros.toString();
  }
  if (value instanceof duckdb.DuckDBTimestampMillisecondsValue) return (value.millis * 1000n).toString();
  if (value instanceof duckdb.DuckDBTimestampSecondsValue) return (value.seconds * 1000000n).toString();
  if (value instanceof duckdb.DuckDBTimestampNanosecondsValue) return floorDivide(value.nanos, 1000n).toString();
  if (value instanceof duckdb.DuckDBTimeValue) return value.micros.toString();
  if (value instanceof duckdb.DuckDBDecimalValue) return jsonString(decimalText(value.value, value.scale));
  if (value instanceof duckdb.DuckDBUUIDValue) return jsonStringOfBytes(uuidBytes(value.toUint128()));
  throw new Error(`no canonical form for ${value?.constructor?.name}: ${value}`);
}

// DuckDB hands out small integers and floats alike as JS numbers; only float
// columns may print NaN and infinities.
function canonicalOfColumn(value, isFloat) {
  if (isFloat && typeof value === 'number') return floatText(value);
  return canonical(value);
}

function quoteIdentifier(name) {
  return '"' + name.replaceAll('"', '""') + '"';
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const isDirectory = fs.statSync(options.path).isDirectory();
  const source = isDirectory
    ? `read_parquet('${path.join(options.path, '**', '*.parquet').replaceAll("'", "''")}', hive_partitioning = true)`
    : `read_parquet('${options.path.replaceAll("'", "''")}')`;
  const columns = options.columns ? options.columns.map(quoteIdentifier).join(', ') : '*';
  let sql = `SELECT ${columns} FROM ${source}`;
  if (options.where) sql += ` WHERE ${options.where}`;
  if (options.limit !== null) sql += ` LIMIT ${options.limit}`;
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const result = await connection.stream(sql);
  const names = result.columnNames();
  const isFloat = result.columnTypes().map((type) => ['FLOAT', 'DOUBLE'].includes(type.toString()));
  const keys = names.map((name) => jsonString(name) + ':');
  const out = fs.openSync('/dev/stdout', 'w');
  for (let chunk; (chunk = await result.fetchChunk()) !== null && chunk.rowCount > 0;) {
    const lines = chunk.getRows().map((row) =>
      '{' + row.map((value, c) => keys[c] + canonicalOfColumn(value, isFloat[c])).join(',') + '}\n');
    fs.writeSync(out, Buffer.from(lines.join(''), 'latin1'));
  }
}

main().catch((error) => {
  console.error(`read_canonical: ${error.message}`);
  process.exit(2);
});
