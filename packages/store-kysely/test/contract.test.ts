import { databaseUrl, storageContract } from "@commonweal/testing"
import { Effect, Layer } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SqlStore } from "../src/index.js"

const sqliteFile = join(mkdtempSync(join(tmpdir(), "commonweal-kysely-")), "contract.sqlite")
storageContract({ name: "sqlite", layer: SqlStore.layerSqlite({ filename: sqliteFile }) })

const postgres = databaseUrl("COMMONWEAL_TEST_POSTGRES_URL")
storageContract(
  "url" in postgres
    ? { name: "postgres", layer: SqlStore.layerPostgres({ connectionString: postgres.url }) }
    : { name: "postgres", layer: Layer.effectContext(Effect.die(postgres.skip)), skip: postgres.skip }
)

const mysql = databaseUrl("COMMONWEAL_TEST_MYSQL_URL")
storageContract(
  "url" in mysql
    ? { name: "mysql", layer: SqlStore.layerMysql({ uri: mysql.url }) }
    : { name: "mysql", layer: Layer.effectContext(Effect.die(mysql.skip)), skip: mysql.skip }
)
