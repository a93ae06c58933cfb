using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Persistence.Migrations
{
    /// <summary>
    /// The canonical payment model: payments with their lines, discounts, gateway attempts and
    /// status history. Written by hand (no EF design tools here); MigrationSchemaTests proves it
    /// matches the model. Owned values (customer, card, direct debit, error, next action,
    /// checkout and callback outcomes) are columns of their owner; enums and currencies are text.
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261122000002_Payments")]
    public sealed class Payments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Payments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AgentName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CallUuid = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CallbackAtUtc = table.Column<DateTime?>(type: "TEXT", nullable: true),
                    CallbackSuccess = table.Column<bool?>(type: "INTEGER", nullable: true),
                    CheckoutUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CloseCheckoutAtUtc = table.Column<DateTime?>(type: "TEXT", nullable: true),
                    CloseCheckoutSuccess = table.Column<bool?>(type: "INTEGER", nullable: true),
                    CompanyId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    CustomerEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CustomerEmailNormalized = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CustomerFirstName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CustomerLastName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CustomerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CustomerPaymentMethodId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CustomerPhoneNumber = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    DiscountAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    FinalAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    InCall = table.Column<bool>(type: "INTEGER", nullable: false),
                    Metadata = table.Column<string>(type: "TEXT", nullable: false),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PaidAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    PaidVoucherAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    ParentPaymentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ProjectId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ReferenceId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RemainingAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    ReportedDiscountAmount = table.Column<long?>(type: "INTEGER", nullable: true),
                    ReportedFinalAmount = table.Column<long?>(type: "INTEGER", nullable: true),
                    ReportedPaidAmount = table.Column<long?>(type: "INTEGER", nullable: true),
                    ReportedPaidVoucherAmount = table.Column<long?>(type: "INTEGER", nullable: true),
                    ReportedRemainingAmount = table.Column<long?>(type: "INTEGER", nullable: true),
                    ReportedTotalAmount = table.Column<long?>(type: "INTEGER", nullable: true),
                    SelectedGatewayId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Tenant = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    TotalAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalsMismatch = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Payments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PaymentLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DiscountAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    FinalAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    IsFood = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsGift = table.Column<bool>(type: "INTEGER", nullable: false),
                    PaymentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    ProductExternalId1 = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ProductExternalId2 = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ProductId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ProductImage = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ProductName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ProductVariant = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    TaxRate = table.Column<decimal?>(type: "TEXT", nullable: true),
                    UnitAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    UnitDiscountAmount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaymentLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PaymentLines_Payments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "Payments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PaymentDiscounts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Amount = table.Column<long?>(type: "INTEGER", nullable: true),
                    AppliedAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Index = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    PaymentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Value = table.Column<decimal?>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaymentDiscounts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PaymentDiscounts_Payments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "Payments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PaymentTransactions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CardBrand = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    CardDetailsLast4 = table.Column<string>(type: "TEXT", maxLength: 4, nullable: true),
                    CardExpirationMonth = table.Column<int?>(type: "INTEGER", nullable: true),
                    CardExpirationYear = table.Column<int?>(type: "INTEGER", nullable: true),
                    CardLast4 = table.Column<string>(type: "TEXT", maxLength: 4, nullable: true),
                    CardMaskedPan = table.Column<string>(type: "TEXT", maxLength: 19, nullable: true),
                    CardProduct = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CardTokenProtected = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ConfirmedAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    DirectDebitAccountId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DirectDebitBic = table.Column<string>(type: "TEXT", maxLength: 11, nullable: true),
                    DirectDebitMaskedIban = table.Column<string>(type: "TEXT", maxLength: 34, nullable: true),
                    ErrorCode = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    ErrorExternalCode = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ErrorExternalMessage = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ExternalId1 = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ExternalId2 = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ExternalId3 = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    GatewayIconUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    GatewayId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    GatewayImageUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    GatewayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    GatewayPaymentAction = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    GatewayType = table.Column<int?>(type: "INTEGER", nullable: true),
                    HolderEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    HolderName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    IsWallet = table.Column<bool>(type: "INTEGER", nullable: false),
                    NextActionExternalTransactionId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    NextActionType = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    NextActionUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    NoOfVouchers = table.Column<int>(type: "INTEGER", nullable: false),
                    PaymentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProcessedAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    RefundedAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    RequestedAmount = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    TrackingId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    VoucherAmount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaymentTransactions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PaymentTransactions_Payments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "Payments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PaymentStatusChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Applied = table.Column<bool>(type: "INTEGER", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FromStatus = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    PaymentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ToStatus = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    TransactionId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaymentStatusChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PaymentStatusChanges_Payments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "Payments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentDiscounts_PaymentId",
                table: "PaymentDiscounts",
                column: "PaymentId");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentLines_PaymentId",
                table: "PaymentLines",
                column: "PaymentId");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_CallUuid",
                table: "Payments",
                column: "CallUuid");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_CreatedAtUtc",
                table: "Payments",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_Currency_CreatedAtUtc",
                table: "Payments",
                columns: new[] { "Currency", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_CustomerEmailNormalized",
                table: "Payments",
                column: "CustomerEmailNormalized");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_FinalAmount",
                table: "Payments",
                column: "FinalAmount");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_InCall_CreatedAtUtc",
                table: "Payments",
                columns: new[] { "InCall", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_Mode_CreatedAtUtc",
                table: "Payments",
                columns: new[] { "Mode", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_ReferenceId",
                table: "Payments",
                column: "ReferenceId");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_SelectedGatewayId_CreatedAtUtc",
                table: "Payments",
                columns: new[] { "SelectedGatewayId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_Status_CreatedAtUtc",
                table: "Payments",
                columns: new[] { "Status", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_TotalsMismatch_CreatedAtUtc",
                table: "Payments",
                columns: new[] { "TotalsMismatch", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentStatusChanges_Applied_AtUtc",
                table: "PaymentStatusChanges",
                columns: new[] { "Applied", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentStatusChanges_PaymentId_AtUtc",
                table: "PaymentStatusChanges",
                columns: new[] { "PaymentId", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentStatusChanges_TransactionId",
                table: "PaymentStatusChanges",
                column: "TransactionId");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_CardLast4",
                table: "PaymentTransactions",
                column: "CardLast4");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_CreatedAtUtc",
                table: "PaymentTransactions",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_ExternalId1",
                table: "PaymentTransactions",
                column: "ExternalId1");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_GatewayId_CreatedAtUtc",
                table: "PaymentTransactions",
                columns: new[] { "GatewayId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_PaymentId",
                table: "PaymentTransactions",
                column: "PaymentId");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_Status_CreatedAtUtc",
                table: "PaymentTransactions",
                columns: new[] { "Status", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentTransactions_TrackingId",
                table: "PaymentTransactions",
                column: "TrackingId",
                unique: true,
                filter: "\"TrackingId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "PaymentStatusChanges");
            migrationBuilder.DropTable(name: "PaymentTransactions");
            migrationBuilder.DropTable(name: "PaymentDiscounts");
            migrationBuilder.DropTable(name: "PaymentLines");
            migrationBuilder.DropTable(name: "Payments");
        }
    }
}
