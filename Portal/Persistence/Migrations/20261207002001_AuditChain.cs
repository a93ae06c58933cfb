using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>
    /// The audit log's hash chain (docs/decisions/0013): Sequence, PreviousHash and Hash on every
    /// entry, and the one-row AuditChainHead. The entries that already exist are chained here, in
    /// Id order, with portal_audit_hash (the same C# function the app uses, registered on every
    /// connection by SqliteConnectionInterceptor); the append-only trigger is lifted for that
    /// one UPDATE and put back.
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261207002001_AuditChain")]
    public sealed class AuditChain : Migration
    {
        private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(name: "Sequence", table: "AuditEntries", type: "INTEGER", nullable: false, defaultValue: 0L);
            migrationBuilder.AddColumn<string>(name: "PreviousHash", table: "AuditEntries", type: "TEXT", maxLength: 64, nullable: false, defaultValue: "");
            migrationBuilder.AddColumn<string>(name: "Hash", table: "AuditEntries", type: "TEXT", maxLength: 64, nullable: false, defaultValue: "");
            migrationBuilder.CreateTable(
                name: "AuditChainHead",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table => table.PrimaryKey("PK_AuditChainHead", x => x.Id));

            migrationBuilder.Sql("""CREATE TEMP TABLE "audit_order" ("rn" INTEGER PRIMARY KEY, "Id" INTEGER NOT NULL);""");
            migrationBuilder.Sql("""INSERT INTO "audit_order" ("rn", "Id") SELECT ROW_NUMBER() OVER (ORDER BY "Id"), "Id" FROM "AuditEntries";""");
            migrationBuilder.Sql($"""
                CREATE TEMP TABLE "audit_chain" AS
                WITH RECURSIVE "chain"("rn", "Id", "Prev", "Hash") AS (
                    SELECT 0, NULL, NULL, '{Genesis}'
                    UNION ALL
                    SELECT o."rn", e."Id", c."Hash",
                           portal_audit_hash(o."rn", c."Hash", e."OccurredAtUtc", e."ActorId", e."ActorName", e."Origin", e."Action",
                                             e."ResourceType", e."ResourceId", e."PaymentId", e."Before", e."After",
                                             e."AmountBefore", e."AmountAfter", e."Currency", e."Details")
                    FROM "chain" c
                    JOIN "audit_order" o ON o."rn" = c."rn" + 1
                    JOIN "AuditEntries" e ON e."Id" = o."Id"
                )
                SELECT "rn", "Id", "Prev", "Hash" FROM "chain" WHERE "rn" > 0;
                """);
            migrationBuilder.Sql("""DROP TRIGGER "AuditEntries_NoUpdate";""");
            migrationBuilder.Sql("""
                UPDATE "AuditEntries" SET "Sequence" = c."rn", "PreviousHash" = c."Prev", "Hash" = c."Hash"
                FROM "audit_chain" c WHERE c."Id" = "AuditEntries"."Id";
                """);
            migrationBuilder.Sql("CREATE TRIGGER AuditEntries_NoUpdate BEFORE UPDATE ON AuditEntries BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;");
            migrationBuilder.Sql($"""
                INSERT INTO "AuditChainHead" ("Id", "LastSequence", "LastHash")
                SELECT 1, COALESCE(MAX("rn"), 0), COALESCE((SELECT "Hash" FROM "audit_chain" ORDER BY "rn" DESC LIMIT 1), '{Genesis}') FROM "audit_chain";
                """);
            migrationBuilder.Sql("""DROP TABLE "audit_chain";""");
            migrationBuilder.Sql("""DROP TABLE "audit_order";""");
            migrationBuilder.CreateIndex(name: "IX_AuditEntries_Sequence", table: "AuditEntries", column: "Sequence", unique: true);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_AuditEntries_Sequence", table: "AuditEntries");
            migrationBuilder.DropTable(name: "AuditChainHead");
            // EF's DropColumn is not supported on SQLite; SQLite itself (3.35+) drops an unindexed column.
            migrationBuilder.Sql("""ALTER TABLE "AuditEntries" DROP COLUMN "Hash";""");
            migrationBuilder.Sql("""ALTER TABLE "AuditEntries" DROP COLUMN "PreviousHash";""");
            migrationBuilder.Sql("""ALTER TABLE "AuditEntries" DROP COLUMN "Sequence";""");
        }
    }
}
