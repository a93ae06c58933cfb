using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>
    /// Refunds (unique idempotency key) and, on each transaction, the amount held by refunds sent
    /// to the gateway and not yet answered: changed only by conditional updates, so the database
    /// itself refuses a reservation above confirmed − refunded − reserved.
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000007_Refunds")]
    public sealed class Refunds : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RefundReservedAmount",
                table: "PaymentTransactions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "Refunds",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    GatewayId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    GatewayMessage = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    GatewayRefundId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LastCheckedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    PaymentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequestedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    TransactionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Refunds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Refunds_PaymentTransactions_TransactionId",
                        column: x => x.TransactionId,
                        principalTable: "PaymentTransactions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Refunds_Payments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "Payments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(name: "IX_Refunds_IdempotencyKey", table: "Refunds", column: "IdempotencyKey", unique: true);
            migrationBuilder.CreateIndex(name: "IX_Refunds_PaymentId", table: "Refunds", column: "PaymentId");
            migrationBuilder.CreateIndex(name: "IX_Refunds_TransactionId_CreatedAtUtc", table: "Refunds", columns: new[] { "TransactionId", "CreatedAtUtc" });
            migrationBuilder.CreateIndex(name: "IX_Refunds_CreatedAtUtc", table: "Refunds", column: "CreatedAtUtc");
            migrationBuilder.CreateIndex(name: "IX_Refunds_Status_CreatedAtUtc", table: "Refunds", columns: new[] { "Status", "CreatedAtUtc" });
            migrationBuilder.CreateIndex(name: "IX_Refunds_RequestedByUserId_CreatedAtUtc", table: "Refunds", columns: new[] { "RequestedByUserId", "CreatedAtUtc" });
            migrationBuilder.CreateIndex(name: "IX_Refunds_GatewayRefundId", table: "Refunds", column: "GatewayRefundId");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "Refunds");
            migrationBuilder.DropColumn(name: "RefundReservedAmount", table: "PaymentTransactions");
        }
    }
}
