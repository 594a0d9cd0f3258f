// compare_readers.mjs: checks that DuckDB and Polars both read a Parquet file
// written by Kiln back as the rows Kiln wrote.
//
// Usage: node compare_readers.mjs FILE.parquet EXPECTED.jsonl
//
// EXPECTED.jsonl is Kiln's canonical JSON Lines for the same table (see
// src/kiln/io/json_format.h). Each reader's rows and the expected rows are
// rendered in one canonical text form, column by column, typed by the file's
// schema as DuckDB reports it:
//   integers as exact decimal digits (64-bit values never pass through a
//   double); floats as JS's shortest round-trip text of the double, with
//   float32 compared at float32 precision, NaN / Infinity / -Infinity as
//   strings and -0 kept; booleans; null; strings by their UTF-8 bytes; binary
//   as hex; dates "YYYY-MM-DD"; timestamps as integer microseconds; decimals
//   with exactly their scale ("1207.00"); lists as arrays.
// The expected file is parsed from its bytes with number tokens kept as text,
// and Kiln's \u00XX escapes turned back into the bytes they stand for.
//
// When the footer carries "kiln.schema", DuckDB's column types must be the
// ones that schema maps to (e.g. timestamp -> TIMESTAMP, not TIMESTAMPTZ).
// Polars' dtypes must match DuckDB's types.
//
// Prints "ok: N rows, M columns, duckdb and polars agree" and exits 0; on a
// mismatch prints the first differing row and column for each reader and
// exits 1; exits 2 on bad usage or when a reader fails.
import { createRequire } from 'module';
import fs from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');
const pl = require('nodejs-polars');

// ---------------------------------------------------------------------------
// Column kinds, from DuckDB's type names.

// {id: 'INTEGER'|..., scale, element} for 'INTEGER', 'DECIMAL(9,2)', 'VARCHAR[]'.
function parseKind(typeName) {
  if (typeName.endsWith('[]')) return { id: 'LIST', element: parseKind(typeName.slice(0, -2)) };
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(typeName);
  if (decimal) return { id: 'DECIMAL', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  return { id: typeName };
}

const kSupported = new Set(['BOOLEAN', 'INTEGER', 'BIGINT', 'UINTEGER', 'UBIGINT', 'FLOAT', 'DOUBLE',
  'VARCHAR', 'BLOB', 'DATE', 'TIMESTAMP', 'DECIMAL', 'LIST']);

// Kiln's type name (DataType::ToString) as DuckDB names it.
function duckdbTypeOfKiln(kilnType) {
  const simple = { bool: 'BOOLEAN', int32: 'INTEGER', int64: 'BIGINT', uint32: 'UINTEGER', uint64: 'UBIGINT',
    float32: 'FLOAT', float64: 'DOUBLE', string: 'VARCHAR', binary: 'BLOB', date32: 'DATE', timestamp: 'TIMESTAMP' };
  if (simple[kilnType]) return simple[kilnType];
  const decimal = /^decimal\((\d+),(\d+)\)$/.exec(kilnType);
  if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
  const list = /^list<(.*)>$/.exec(kilnType);
  if (list) return duckdbTypeOfKiln(list[1]) + '[]';
  return `unknown kiln type ${kilnType}`;
}

// Fields of Schema::ToString(): "name: type, name: type not null".
function parseKilnSchema(text) {
  const parts = [];
  let depth = 0, start = 0;
  for (let i = 0; i < text.length; ++i) {
    if ('(<'.includes(text[i])) ++depth;
    if (')>'.includes(text[i])) --depth;
    if (depth === 0 && text.startsWith(', ', i)) {
      parts.push(text.slice(start, i));
      start = i + 2;
    }
  }
  if (text.length > 0) parts.push(text.slice(start));
  return parts.map((part) => {
    const colon = part.lastIndexOf(': ');
    return { name: part.slice(0, colon), type: part.slice(colon + 2).replace(/ not null$/, '') };
  });
}

// The Polars dtype text expected for a DuckDB kind; Binary has no JS form,
// so asking for it throws a message naming Binary.
function polarsDtypeOf(kind) {
  const simple = { BOOLEAN: 'Bool', INTEGER: 'Int32', BIGINT: 'Int64', UINTEGER: 'UInt32', UBIGINT: 'UInt64',
    FLOAT: 'Float32', DOUBLE: 'Float64', VARCHAR: 'String', BLOB: 'Binary', DATE: 'Date', TIMESTAMP: 'Datetime(us,)' };
  if (kind.id === 'DECIMAL') return `Decimal(${kind.precision},${kind.scale})`;
  if (kind.id === 'LIST') return `List(DataType(${polarsDtypeOf(kind.element)}))`;
  return simple[kind.id];
}

// ---------------------------------------------------------------------------
// Canonical text of values.

function hex(bytes) {
  return Buffer.from(bytes).toString('hex');
}

function renderFloat(x) {
  if (Number.isNaN(x)) return '"NaN"';
  if (x === Infinity) return '"Infinity"';
  if (x === -Infinity) return '"-Infinity"';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

// Days since 1970-01-01 <-> proleptic Gregorian dates, in integers (JS Date
// maps years 0..99 to 1900..1999).
function civilFromDays(days) {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) -
    Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function daysFromCivil(year, month, day) {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

// As Kiln's AppendDate32: "%04d-%02d-%02d" (the sign counts in the width).
function renderDate(days) {
  const [year, month, day] = civilFromDays(Number(days));
  const yearText = year < 0 ? '-' + String(-year).padStart(3, '0') : String(year).padStart(4, '0');
  return `"${yearText}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}"`;
}

function renderDecimal(unscaled, scale) {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const whole = digits.slice(0, digits.length - scale);
  const text = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole;
  return `"${negative ? '-' : ''}${text}"`;
}

// "-12.50" -> unscaled bigint at `scale` digits; throws when it has more.
function parseDecimal(text, scale) {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`not a decimal: ${JSON.stringify(text)}`);
  const fraction = match[3] ?? '';
  if (fraction.length > scale) throw new Error(`decimal ${text} has more than ${scale} fractional digits`);
  const unscaled = BigInt(match[2] + fraction.padEnd(scale, '0'));
  return match[1] === '-' ? -unscaled : unscaled;
}

function renderText(bytes) {
  const text = Buffer.from(bytes).toString('utf8');
  return Buffer.from(text, 'utf8').equals(Buffer.from(bytes)) ? JSON.stringify(text) : `"hex:${hex(bytes)}"`;
}

// Renders a reader's value. `value` is already in the neutral form that
// readerValue() produces for each reader.
function render(kind, value) {
  if (value === null || value === undefined) return 'null';
  switch (kind.id) {
    case 'LIST': return '[' + value.map((item) => render(kind.element, item)).join(',') + ']';
    case 'BOOLEAN': return value ? 'true' : 'false';
    case 'INTEGER': case 'BIGINT': case 'UINTEGER': case 'UBIGINT': case 'TIMESTAMP': return BigInt(value).toString();
    case 'FLOAT': return renderFloat(Math.fround(value));
    case 'DOUBLE': return renderFloat(value);
    case 'VARCHAR': return renderText(value);
    case 'BLOB': return `"0x${hex(value)}"`;
    case 'DATE': return renderDate(value);
    case 'DECIMAL': return renderDecimal(value, kind.scale);
  }
  throw new Error(`unsupported column type ${kind.id}`);
}

// ---------------------------------------------------------------------------
// The expected file: JSON parsed from bytes, numbers kept as text and
// strings as bytes.

class JsonBytesParser {
  constructor(bytes, line) {
    this.bytes = bytes;
    this.pos = 0;
    this.line = line;
  }
  fail(message) {
    throw new Error(`expected file line ${this.line}, byte ${this.pos}: ${message}`);
  }
  skipSpace() {
    while (this.pos < this.bytes.length && ' \t\r\n'.includes(String.fromCharCode(this.bytes[this.pos]))) ++this.pos;
  }
  literal(word, value) {
    if (Buffer.from(this.bytes.subarray(this.pos, this.pos + word.length)).toString('latin1') !== word) this.fail('bad literal');
    this.pos += word.length;
    return value;
  }
  value() {
    this.skipSpace();
    const c = String.fromCharCode(this.bytes[this.pos]);
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { bytes: this.string() };
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(Buffer.from(this.bytes.subarray(this.pos, this.pos + 64)).toString('latin1'));
    if (!match) this.fail('unexpected character');
    this.pos += match[0].length;
    return { number: match[0] };
  }
  object() {
    const entries = [];
    ++this.pos;
    this.skipSpace();
    if (this.bytes[this.pos] === 0x7d) return ++this.pos, { entries };
    for (;;) {
      this.skipSpace();
      const key = Buffer.from(this.string()).toString('utf8');
      this.skipSpace();
      if (this.bytes[this.pos++] !== 0x3a) this.fail("missing ':'");
      entries.push([key, this.value()]);
      this.skipSpace();
      const next = this.bytes[this.pos++];
      if (next === 0x7d) return { entries };
      if (next !== 0x2c) this.fail("missing ',' or '}'");
    }
  }
  array() {
    const items = [];
    ++this.pos;
    this.skipSpace();
    if (this.bytes[this.pos] === 0x5d) return ++this.pos, items;
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const next = this.bytes[this.pos++];
      if (next === 0x5d) return items;
      if (next !== 0x2c) this.fail("missing ',' or ']'");
    }
  }
  // The bytes a string stands for: Kiln writes \u00XX for control and
  // invalid bytes, so such an escape is that byte.
  string() {
    if (this.bytes[this.pos++] !== 0x22) this.fail('expected a string');
    const out = [];
    for (;;) {
      if (this.pos >= this.bytes.length) this.fail('unterminated string');
      const b = this.bytes[this.pos++];
      if (b === 0x22) return Uint8Array.from(out);
      if (b !== 0x5c) {
        out.push(b);
        continue;
      }
      const e = String.fromCharCode(this.bytes[this.pos++]);
      const simple = { '"': 0x22, '\\': 0x5c, '/': 0x2f, b: 8, f: 12, n: 10, r: 13, t: 9 };
      if (e in simple) {
        out.push(simple[e]);
        continue;
      }
      if (e !== 'u') this.fail(`bad escape \\${e}`);
      let code = parseInt(Buffer.from(this.bytes.subarray(this.pos, this.pos + 4)).toString('latin1'), 16);
      this.pos += 4;
      if (code < 0x100) {
        out.push(code);
        continue;
      }
      if (code >= 0xd800 && code < 0xdc00 && this.bytes[this.pos] === 0x5c && this.bytes[this.pos + 1] === 0x75) {
        const low = parseInt(Buffer.from(this.bytes.subarray(this.pos + 2, this.pos + 6)).toString('latin1'), 16);
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        this.pos += 6;
      }
      out.push(...Buffer.from(String.fromCodePoint(code), 'utf8'));
    }
  }
}

function readExpected(file) {
  const bytes = fs.readFileSync(file);
  const rows = [];
  let start = 0, line = 1;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const text = bytes.subarray(start, end);
    if (text.length > 0) {
      const parser = new JsonBytesParser(text, line);
      const row = parser.value();
      if (!row || !row.entries) parser.fail('a row must be an object');
      rows.push(row.entries);
    }
    start = end + 1;
    ++line;
  }
  return rows;
}

// The parsed expected value in the neutral form render() takes.
function expectedValue(kind, value) {
  if (value === null) return null;
  const text = () => {
    if (!value.bytes) throw new Error(`expected a string for a ${kind.id} column`);
    return Buffer.from(value.bytes).toString('utf8');
  };
  switch (kind.id) {
    case 'LIST':
      if (!Array.isArray(value)) throw new Error('expected an array for a list column');
      return value.map((item) => expectedValue(kind.element, item));
    case 'BOOLEAN': return value;
    case 'INTEGER': case 'BIGINT': case 'UINTEGER': case 'UBIGINT': case 'TIMESTAMP': return BigInt(value.number);
    case 'FLOAT': case 'DOUBLE':
      if (value.bytes) return { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }[text()];
      return Number(value.number);
    case 'VARCHAR': case 'BLOB': return value.bytes;
    case 'DATE': {
      const match = /^(-?\d+)-(\d\d)-(\d\d)$/.exec(text());
      if (!match) throw new Error(`bad date ${text()}`);
      return daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
    }
    case 'DECIMAL': return parseDecimal(text(), kind.scale);
  }
  throw new Error(`unsupported column type ${kind.id}`);
}

// ---------------------------------------------------------------------------
// DuckDB.

function duckdbValue(kind, value) {
  if (value === null || value === undefined) return null;
  switch (kind.id) {
    case 'LIST': return value.items.map((item) => duckdbValue(kind.element, item));
    case 'VARCHAR': return Buffer.from(value, 'utf8');
    case 'BLOB': return value.bytes;
    case 'DATE': return value.days;
    case 'TIMESTAMP': return value.micros;
    case 'DECIMAL': return value.value;
    default: return value;
  }
}

function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

async function readWithDuckdb(file) {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const result = await connection.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)})`);
  const names = result.columnNames();
  const kinds = result.columnTypes().map((type) => parseKind(type.toString()));
  const typeNames = result.columnTypes().map((type) => type.toString());
  const rows = result.getRows().map((row) => row.map((value, c) => duckdbValue(kinds[c], value)));
  const metadata = await connection.runAndReadAll(
    `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${sqlString(file)})`);
  const schemaRow = metadata.getRowObjectsJS().find((row) => row.key === 'kiln.schema');
  return { names, kinds, typeNames, rows, kilnSchema: schemaRow ? schemaRow.value : null };
}

// ---------------------------------------------------------------------------
// Polars: each column is converted inside Polars to a form that reaches JS
// exactly (64-bit integers and decimals as text, binary as byte lists).

function polarsExpression(kind, expression) {
  switch (kind.id) {
    case 'BIGINT': case 'UBIGINT': case 'DECIMAL': return expression.cast(pl.Utf8);
    case 'TIMESTAMP': return expression.cast(pl.Int64).cast(pl.Utf8);
    case 'DATE': return expression.cast(pl.Int32);
    case 'BLOB': return expression.cast(pl.List(pl.UInt8));
    case 'LIST': return expression.lst.eval(polarsExpression(kind.element, pl.element()));
    default: return expression;
  }
}

function polarsValue(kind, value) {
  if (value === null || value === undefined) return null;
  switch (kind.id) {
    case 'LIST': return value.map((item) => polarsValue(kind.element, item));
    case 'VARCHAR': return Buffer.from(value, 'utf8');
    case 'BLOB': return Uint8Array.from(value);
    case 'DECIMAL': return parseDecimal(value, kind.scale);
    default: return value;
  }
}

function polarsDtype(frame, name) {
  try {
    return String(frame.getColumn(name).dtype).replace(/^DataType\((.*)\)$/, '$1');
  } catch (error) {
    // Binary (also inside lists) has no JS dtype object.
    return /Binary/.test(error.message) ? 'Binary' : `unknown (${error.message})`;
  }
}

function readWithPolars(file, names, kinds) {
  const frame = pl.readParquet(file);
  const dtypes = names.map((name) => polarsDtype(frame, name));
  const converted = frame.lazy()
    .select(...names.map((name, c) => polarsExpression(kinds[c], pl.col(name)).alias(name)))
    .collectSync();
  const rows = converted.height === 0 ? [] : converted.rows().map((row) => row.map((value, c) => polarsValue(kinds[c], value)));
  return { names: frame.columns, dtypes, rows };
}

// ---------------------------------------------------------------------------
// Comparison.

function checkTypes(duck, polars) {
  const problems = [];
  if (duck.kilnSchema !== null) {
    const fields = parseKilnSchema(duck.kilnSchema);
    if (fields.length !== duck.names.length) {
      problems.push(`kiln.schema has ${fields.length} fields, the file ${duck.names.length} columns`);
    } else {
      fields.forEach((field, c) => {
        const want = duckdbTypeOfKiln(field.type);
        if (field.name !== duck.names[c] || want !== duck.typeNames[c]) {
          problems.push(`duckdb reads column ${c} as ${duck.names[c]} ${duck.typeNames[c]}; kiln wrote ${field.name} ${field.type} (${want})`);
        }
      });
    }
  }
  duck.kinds.forEach((kind, c) => {
    if (!kSupported.has(kind.id)) problems.push(`column ${duck.names[c]}: unsupported DuckDB type ${duck.typeNames[c]}`);
    const want = polarsDtypeOf(kind);
    // Binary cannot be asked about directly, so a list of Binary shows as Binary.
    const got = polars.dtypes[c] === 'Binary' && /Binary/.test(want) ? want : polars.dtypes[c];
    if (got !== want) problems.push(`column ${duck.names[c]}: polars reads ${polars.dtypes[c]}, duckdb ${duck.typeNames[c]}`);
  });
  if (polars.names.join('\u0000') !== duck.names.join('\u0000')) {
    problems.push(`column names differ: duckdb [${duck.names}], polars [${polars.names}]`);
  }
  return problems;
}

// The first difference between a reader's rows and the expected rows, or null.
function firstDifference(reader, rows, expected, names, kinds) {
  if (rows.length !== expected.length) return `${reader}: ${rows.length} rows, expected ${expected.length}`;
  for (let r = 0; r < rows.length; ++r) {
    if (expected[r].length !== names.length) return `expected row ${r} has ${expected[r].length} keys, the file ${names.length} columns`;
    for (let c = 0; c < names.length; ++c) {
      if (expected[r][c][0] !== names[c]) return `expected row ${r} key ${c} is ${expected[r][c][0]}, the file's column is ${names[c]}`;
      const want = render(kinds[c], expectedValue(kinds[c], expected[r][c][1]));
      const got = render(kinds[c], rows[r][c]);
      if (want !== got) return `${reader}: row ${r}, column ${names[c]} (${kinds[c].id}): got ${got}, expected ${want}`;
    }
  }
  return null;
}

async function main() {
  const [file, expectedFile] = process.argv.slice(2);
  if (!file || !expectedFile) {
    console.error('usage: node compare_readers.mjs FILE.parquet EXPECTED.jsonl');
    return 2;
  }
  let duck, polars, expected;
  try {
    expected = readExpected(expectedFile);
    duck = await readWithDuckdb(file);
    polars = readWithPolars(file, duck.names, duck.kinds);
  } catch (error) {
    console.error(`reader failed: ${error.stack ?? error}`);
    return 2;
  }
  const problems = checkTypes(duck, polars);
  for (const [reader, rows] of [['duckdb', duck.rows], ['polars', polars.rows]]) {
    try {
      const difference = firstDifference(reader, rows, expected, duck.names, duck.kinds);
      if (difference) problems.push(difference);
    } catch (error) {
      problems.push(`${reader}: ${error.message}`);
    }
  }
  if (problems.length > 0) {
    for (const problem of problems) console.log(`MISMATCH ${problem}`);
    return 1;
  }
  console.log(`ok: ${expected.length} rows, ${duck.names.length} columns, duckdb and polars agree`);
  return 0;
}

process.exitCode = await main();
