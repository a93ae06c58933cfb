using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>
    /// Row counts per status of payments and of transactions, filled from the existing rows and
    /// kept by triggers in the writing transaction (see Portal.Payments.PaymentStatusCount).
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000012_StatusCounts")]
    public sealed class StatusCounts : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Counts(migrationBuilder, "PaymentStatusCounts", "Payments", 20);
            Counts(migrationBuilder, "TransactionStatusCounts", "PaymentTransactions", 30);
        }

        private static void Counts(MigrationBuilder migrationBuilder, string table, string source, int statusLength)
        {
            migrationBuilder.CreateTable(
                name: table,
                columns: t => new
                {
                    Status = t.Column<string>(type: "TEXT", maxLength: statusLength, nullable: false),
                    Count = t.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: t => t.PrimaryKey("PK_" + table, x => x.Status));

            migrationBuilder.Sql($"INSERT INTO \"{table}\" (\"Status\", \"Count\") SELECT \"Status\", COUNT(*) FROM \"{source}\" GROUP BY \"Status\";");
            var add = $"INSERT INTO \"{table}\" (\"Status\", \"Count\") VALUES (NEW.\"Status\", 1) ON CONFLICT(\"Status\") DO UPDATE SET \"Count\" = \"Count\" + 1;";
            var remove = $"UPDATE \"{table}\" SET \"Count\" = \"Count\" - 1 WHERE \"Status\" = OLD.\"Status\";";
            migrationBuilder.Sql($"CREATE TRIGGER \"{table}_Insert\" AFTER INSERT ON \"{source}\" BEGIN {add} END;");
            migrationBuilder.Sql($"CREATE TRIGGER \"{table}_Delete\" AFTER DELETE ON \"{source}\" BEGIN {remove} END;");
            migrationBuilder.Sql($"CREATE TRIGGER \"{table}_Update\" AFTER UPDATE OF \"Status\" ON \"{source}\" WHEN OLD.\"Status\" IS NOT NEW.\"Status\" BEGIN {remove} {add} END;");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, source) in new[] { ("PaymentStatusCounts", "Payments"), ("TransactionStatusCounts", "PaymentTransactions") })
            {
                foreach (var trigger in new[] { "Insert", "Delete", "Update" })
                    migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{table}_{trigger}\";");
                migrationBuilder.DropTable(name: table);
            }
        }
    }
}
