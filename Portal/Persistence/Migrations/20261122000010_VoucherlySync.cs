using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>The link between a portal payment and Voucherly's payment, and the Voucherly sync's round-robin cursor.</summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000010_VoucherlySync")]
    public sealed class VoucherlySync : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "VoucherlySyncStates",
                columns: table => new
                {
                    PaymentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    VoucherlyPaymentId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    LastSyncedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastOutcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ConsecutiveFailures = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VoucherlySyncStates", x => x.PaymentId);
                    table.ForeignKey(
                        name: "FK_VoucherlySyncStates_Payments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "Payments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_VoucherlySyncStates_VoucherlyPaymentId",
                table: "VoucherlySyncStates",
                column: "VoucherlyPaymentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_VoucherlySyncStates_LastSyncedAtUtc",
                table: "VoucherlySyncStates",
                column: "LastSyncedAtUtc");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "VoucherlySyncStates");
        }
    }
}
