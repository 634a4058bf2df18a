//! `src/schema/` is written by hand; this keeps it true to `migrations/`.
//! A freshly migrated database is read back from PostgreSQL's catalogue
//! and compared, table by table, with the `diesel::table!` blocks of every
//! file in `src/schema/`: the same tables, the same columns, each of the
//! same type and nullability, the same primary key. A column added by a
//! migration and forgotten in the schema (or the other way round) fails
//! here, naming the file to fix, instead of failing at the first query.

use std::collections::BTreeMap;
use std::path::Path;

use diesel::sql_types::{Bool, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

use crate::common::db::TestDb;

/// Tables no `diesel::table!` declares, and why: the report rollups are
/// written by triggers and read only by the SQL in `models/report/`.
const SQL_ONLY_PREFIXES: &[&str] = &["report_"];

/// One column: its PostgreSQL type (as `format_type` writes it) and
/// whether it may be null.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    sql_type: String,
    nullable: bool,
}

/// One table: its columns by name, and its primary key in order.
#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// Where it is declared (the schema file), for the report.
    file: String,
    columns: BTreeMap<String, Column>,
    primary_key: Vec<String>,
}

/// The PostgreSQL type a diesel SQL type stands for.
fn pg_type(diesel: &str) -> String {
    if let Some(inner) = diesel
        .strip_prefix("Array<")
        .and_then(|t| t.strip_suffix('>'))
    {
        return format!("{}[]", pg_type(inner));
    }
    match diesel {
        "Uuid" => "uuid",
        "Text" => "text",
        "Varchar" | "VarChar" => "character varying",
        "Bool" => "boolean",
        "Int2" | "SmallInt" => "smallint",
        "Int4" | "Integer" => "integer",
        "Int8" | "BigInt" => "bigint",
        "Float4" | "Float" => "real",
        "Float8" | "Double" => "double precision",
        "Numeric" => "numeric",
        "Date" => "date",
        "Time" => "time without time zone",
        "Timestamp" => "timestamp without time zone",
        "Timestamptz" => "timestamp with time zone",
        "Interval" => "interval",
        "Json" => "json",
        "Jsonb" => "jsonb",
        "Bytea" | "Binary" => "bytea",
        "Xid8" => "xid8",
        other => other,
    }
    .to_string()
}

/// The tables declared in the `diesel::table!` blocks of one schema file.
fn declared_in(file: &str, text: &str) -> BTreeMap<String, Table> {
    let mut tables = BTreeMap::new();
    for block in text.split("diesel::table!").skip(1) {
        let body = block.trim_start().trim_start_matches('{');
        let mut lines = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("use ") && !l.starts_with("#["));
        let head = lines.next().expect("a table! block names its table");
        let (name, rest) = head.split_once('(').expect("table! names a primary key");
        let key = rest.split_once(')').expect("the primary key is closed").0;
        let mut table = Table {
            file: file.to_string(),
            primary_key: key.split(',').map(|k| k.trim().to_string()).collect(),
            ..Table::default()
        };
        for line in lines {
            if line.starts_with('}') {
                break;
            }
            let Some((column, ty)) = line.split_once("->") else {
                continue;
            };
            let ty = ty.trim().trim_end_matches(',');
            let (ty, nullable) = match ty.strip_prefix("Nullable<") {
                Some(inner) => (inner.strip_suffix('>').unwrap_or(inner), true),
                None => (ty, false),
            };
            table.columns.insert(
                column.trim().to_string(),
                Column {
                    sql_type: pg_type(ty),
                    nullable,
                },
            );
        }
        tables.insert(name.trim().to_string(), table);
    }
    tables
}

/// Every table `src/schema/` declares.
fn declared() -> BTreeMap<String, Table> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/schema");
    let mut tables = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file = format!("src/schema/{}", path.file_name().unwrap().to_string_lossy());
        tables.extend(declared_in(&file, &std::fs::read_to_string(&path).unwrap()));
    }
    tables
}

#[derive(QueryableByName)]
struct CatalogueColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    sql_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

/// The tables and views of the database, as PostgreSQL's catalogue has them.
const CATALOGUE: &str = "
    SELECT c.relname::text AS table_name, a.attname::text AS column_name,
           format_type(a.atttypid, a.atttypmod) AS sql_type,
           NOT a.attnotnull AS nullable
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relkind IN ('r', 'p', 'v', 'm')
       AND c.relname <> '__diesel_schema_migrations'
     ORDER BY c.relname, a.attnum";

/// Every table of the database (less the SQL-only ones).
async fn introspected(conn: &mut AsyncPgConnection) -> BTreeMap<String, Table> {
    let rows: Vec<CatalogueColumn> = diesel::sql_query(CATALOGUE).load(conn).await.unwrap();
    // The key's order is `indkey`'s, which is the declaration's: read it so.
    let keys: Vec<(String, String)> = diesel::sql_query(
        "SELECT c.relname::text AS table_name, a.attname::text AS column_name
           FROM pg_index i
           JOIN pg_class c ON c.oid = i.indrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
           CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, place)
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
          WHERE i.indisprimary
          ORDER BY c.relname, k.place",
    )
    .load::<KeyColumn>(conn)
    .await
    .unwrap()
    .into_iter()
    .map(|k| (k.table_name, k.column_name))
    .collect();
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for row in rows {
        if SQL_ONLY_PREFIXES
            .iter()
            .any(|p| row.table_name.starts_with(p))
        {
            continue;
        }
        tables.entry(row.table_name).or_default().columns.insert(
            row.column_name,
            Column {
                sql_type: row.sql_type,
                nullable: row.nullable,
            },
        );
    }
    for (table, column) in keys {
        if let Some(t) = tables.get_mut(&table) {
            t.primary_key.push(column);
        }
    }
    tables
}

#[derive(QueryableByName)]
struct KeyColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

fn show(c: &Column) -> String {
    format!(
        "{}{}",
        c.sql_type,
        if c.nullable { " null" } else { " not null" }
    )
}

/// Every difference between the schema files and the database, one line
/// each, naming the file to fix.
fn differences(schema: &BTreeMap<String, Table>, db: &BTreeMap<String, Table>) -> Vec<String> {
    let mut found = Vec::new();
    for name in db.keys() {
        if !schema.contains_key(name) {
            found.push(format!(
                "table {name}: in the migrations, declared in no src/schema file"
            ));
        }
    }
    for (name, declared) in schema {
        let file = &declared.file;
        let Some(actual) = db.get(name) else {
            found.push(format!("{file}: table {name} is not in the migrations"));
            continue;
        };
        for (column, want) in &declared.columns {
            match actual.columns.get(column) {
                None => found.push(format!("{file}: {name}.{column} is not in the migrations")),
                Some(have) if have != want => found.push(format!(
                    "{file}: {name}.{column} is {} here, {} in the migrations",
                    show(want),
                    show(have)
                )),
                Some(_) => {}
            }
        }
        for (column, have) in &actual.columns {
            if !declared.columns.contains_key(column) {
                found.push(format!(
                    "{file}: {name}.{column} ({}) is in the migrations, not here",
                    show(have)
                ));
            }
        }
        if declared.primary_key != actual.primary_key {
            found.push(format!(
                "{file}: {name}'s primary key is ({}) here, ({}) in the migrations",
                declared.primary_key.join(", "),
                actual.primary_key.join(", ")
            ));
        }
    }
    found
}

#[actix_web::test]
async fn the_schema_files_match_the_migrated_database_table_by_table() {
    let db = TestDb::create().await;
    let mut conn = AsyncPgConnection::establish(&db.url).await.unwrap();
    let schema = declared();
    assert!(
        schema.len() > 10 && schema.contains_key("activities"),
        "the schema files were read: {:?}",
        schema.keys().collect::<Vec<_>>()
    );
    let found = differences(&schema, &introspected(&mut conn).await);
    assert!(
        found.is_empty(),
        "src/schema/ differs from migrations/:\n{}",
        found.join("\n")
    );
}

#[actix_web::test]
async fn a_drift_in_a_column_its_type_its_nullability_or_a_table_is_named() {
    let db = TestDb::create().await;
    let mut conn = AsyncPgConnection::establish(&db.url).await.unwrap();
    // A migration the schema files did not follow.
    conn.batch_execute(
        "ALTER TABLE wards ADD COLUMN closed_on date;
         ALTER TABLE wards ALTER COLUMN name DROP NOT NULL;
         ALTER TABLE sign_ins ALTER COLUMN method TYPE varchar(16);
         CREATE TABLE ward_notes (id uuid PRIMARY KEY)",
    )
    .await
    .unwrap();
    let found = differences(&declared(), &introspected(&mut conn).await);
    let expect = [
        "src/schema/foundation.rs: wards.closed_on (date null) is in the migrations, not here",
        "src/schema/foundation.rs: wards.name is text not null here, text null in the migrations",
        "src/schema/foundation.rs: sign_ins.method is text not null here, character varying(16) not null in the migrations",
        "table ward_notes: in the migrations, declared in no src/schema file",
    ];
    for line in expect {
        assert!(
            found.iter().any(|f| f == line),
            "{line:?} not among {found:#?}"
        );
    }
    assert_eq!(found.len(), expect.len(), "{found:#?}");
}

#[test]
fn schema_files_are_read_with_their_types_nullability_and_keys() {
    let text = "diesel::table! {\n    pairs (a_id, b_id) {\n        a_id -> Uuid,\n        \
                b_id -> Uuid,\n        note -> Nullable<Text>,\n        tags -> Array<Text>,\n    }\n}\n";
    let tables = declared_in("x.rs", text);
    let pairs = &tables["pairs"];
    assert_eq!(pairs.primary_key, vec!["a_id", "b_id"]);
    assert_eq!(
        pairs.columns["note"],
        Column {
            sql_type: "text".into(),
            nullable: true
        }
    );
    assert_eq!(pairs.columns["tags"].sql_type, "text[]");
    assert!(!pairs.columns["a_id"].nullable);
}
