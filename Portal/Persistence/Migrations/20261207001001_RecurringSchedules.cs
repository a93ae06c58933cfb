using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>
    /// Recurring token charges: schedules (with the runner's claim columns), one row per charged
    /// calendar cycle (unique per schedule and number) and one per gateway attempt (unique
    /// idempotency key, the tracking_id). See docs/decisions/0011-recurring-charges.md.
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261207001001_RecurringSchedules")]
    public sealed class RecurringSchedules : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RecurringSchedules",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SourcePaymentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SourceTransactionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    GatewayId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CardTokenProtected = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CardBrand = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    CardLast4 = table.Column<string>(type: "TEXT", maxLength: 4, nullable: true),
                    CustomerEmail = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    CustomerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    AmountMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    IntervalUnit = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    IntervalCount = table.Column<int>(type: "INTEGER", nullable: false),
                    StartDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndKind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    EndDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    MaxCycleCount = table.Column<int>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    NextCycleNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    NextChargeAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    OpenAttemptKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SucceededCycles = table.Column<int>(type: "INTEGER", nullable: false),
                    FailedAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastChargedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastFailureAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClaimToken = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ClaimExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreateKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecurringSchedules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RecurringSchedules_Payments_SourcePaymentId",
                        column: x => x.SourcePaymentId,
                        principalTable: "Payments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RecurringSchedules_PaymentTransactions_SourceTransactionId",
                        column: x => x.SourceTransactionId,
                        principalTable: "PaymentTransactions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RecurringCycles",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ScheduleId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    DueAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AmountMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    AttemptCount = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PaymentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TransactionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    GatewayTransactionId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    GatewayMessage = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    GatewayCode = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecurringCycles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RecurringCycles_RecurringSchedules_ScheduleId",
                        column: x => x.ScheduleId,
                        principalTable: "RecurringSchedules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RecurringCycleAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CycleId = table.Column<long>(type: "INTEGER", nullable: false),
                    ScheduleId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CycleNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AmountMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    SendCount = table.Column<int>(type: "INTEGER", nullable: false),
                    GatewayTransactionId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    GatewayMessage = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    GatewayCode = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AnsweredAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastCheckedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecurringCycleAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RecurringCycleAttempts_RecurringCycles_CycleId",
                        column: x => x.CycleId,
                        principalTable: "RecurringCycles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(name: "IX_RecurringSchedules_NextChargeAtUtc", table: "RecurringSchedules", column: "NextChargeAtUtc");
            migrationBuilder.CreateIndex(name: "IX_RecurringSchedules_Status_NextChargeAtUtc", table: "RecurringSchedules", columns: new[] { "Status", "NextChargeAtUtc" });
            migrationBuilder.CreateIndex(name: "IX_RecurringSchedules_ClaimToken", table: "RecurringSchedules", column: "ClaimToken");
            migrationBuilder.CreateIndex(name: "IX_RecurringSchedules_CreateKey", table: "RecurringSchedules", column: "CreateKey", unique: true);
            migrationBuilder.CreateIndex(name: "IX_RecurringSchedules_SourcePaymentId", table: "RecurringSchedules", column: "SourcePaymentId");
            migrationBuilder.CreateIndex(name: "IX_RecurringSchedules_SourceTransactionId", table: "RecurringSchedules", column: "SourceTransactionId");
            migrationBuilder.CreateIndex(name: "IX_RecurringSchedules_CreatedAtUtc", table: "RecurringSchedules", column: "CreatedAtUtc");
            migrationBuilder.CreateIndex(name: "IX_RecurringCycles_ScheduleId_Number", table: "RecurringCycles", columns: new[] { "ScheduleId", "Number" }, unique: true);
            migrationBuilder.CreateIndex(name: "IX_RecurringCycles_PaymentId", table: "RecurringCycles", column: "PaymentId");
            migrationBuilder.CreateIndex(name: "IX_RecurringCycleAttempts_IdempotencyKey", table: "RecurringCycleAttempts", column: "IdempotencyKey", unique: true);
            migrationBuilder.CreateIndex(name: "IX_RecurringCycleAttempts_CycleId_Number", table: "RecurringCycleAttempts", columns: new[] { "CycleId", "Number" }, unique: true);
            migrationBuilder.CreateIndex(name: "IX_RecurringCycleAttempts_ScheduleId", table: "RecurringCycleAttempts", column: "ScheduleId");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "RecurringCycleAttempts");
            migrationBuilder.DropTable(name: "RecurringCycles");
            migrationBuilder.DropTable(name: "RecurringSchedules");
        }
    }
}
