using System.Diagnostics;
using System.Text.Json.Nodes;
using Portal.Domain.Gateways;
using Portal.Gateways.EComCharge;
using Portal.Sandbox;
using Portal.Sandbox.EComCharge;

namespace Portal.Tests.Gateways;

/// <summary>The eComCharge adapter against the sandbox over real HTTP: every mapped status and error.</summary>
[Collection(GatewaySandboxCollection.Name)]
public sealed class EComChargeGatewayTests(GatewaySandboxFixture fixture)
{
    private IPaymentGateway Gateway => fixture.Service<IPaymentGateway>();
    private EComChargeSandboxStore Sandbox => fixture.Service<EComChargeSandboxStore>();

    private static ChargeRequest Charge(string token, string? key = null, long amount = 1250, TokenChargeKind kind = TokenChargeKind.MerchantInitiatedCycle) =>
        new(key ?? NewKey(), amount, "EUR", "Monthly plan", token, kind, "payer@example.com");

    private static string NewKey() => "test-" + Guid.NewGuid().ToString("N");

    [Fact]
    public void Gateway_Resolved_IsEComChargeAdapter()
    {
        Assert.IsType<EComChargeGateway>(Gateway);
        Assert.Equal("ecomcharge", Gateway.Name);
    }

    [Fact]
    public async Task ChargeToken_ApproveToken_ReturnsApprovedWithCardAuthCodeAndChecks()
    {
        var key = NewKey();
        var result = await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Approve, key));

        var approved = Assert.IsType<GatewayResult.Approved>(result);
        Assert.False(string.IsNullOrWhiteSpace(approved.GatewayTransactionId));
        Assert.Equal(1250, approved.AmountMinor);
        Assert.Equal("EUR", approved.Currency);
        Assert.Equal(key, approved.IdempotencyKey);
        Assert.Equal("payment", approved.TransactionType);
        Assert.Equal(new CardDetails("visa", "1111", 12, 2030, SandboxTokens.Approve), approved.Card);
        Assert.Matches("^[0-9]{6}$", approved.AuthCode);
        Assert.False(string.IsNullOrWhiteSpace(approved.Rrn));
        Assert.Equal(new GatewayChecks("successful", null, "M", "M"), approved.Checks);
        Assert.Equal("successful", Sandbox.StatusOf(approved.GatewayTransactionId));
    }

    [Fact]
    public async Task ChargeToken_InsufficientFunds_ReturnsSoftDecline()
    {
        var result = await Gateway.ChargeTokenAsync(Charge(SandboxTokens.InsufficientFunds));

        var declined = Assert.IsType<GatewayResult.Declined>(result);
        Assert.NotNull(declined.GatewayTransactionId);
        Assert.Equal("51", declined.Code);
        Assert.Contains("Insufficient funds", declined.Reason);
        Assert.False(declined.IsHardDecline);
    }

    [Theory]
    [InlineData(SandboxTokens.StolenCard, "43", "Stolen")]
    [InlineData(SandboxTokens.DoNotHonor, "05", "Do not honor")]
    public async Task ChargeToken_HardDeclineToken_ReturnsHardDecline(string token, string code, string reason)
    {
        var result = await Gateway.ChargeTokenAsync(Charge(token));

        var declined = Assert.IsType<GatewayResult.Declined>(result);
        Assert.Equal(code, declined.Code);
        Assert.Contains(reason, declined.Reason);
        Assert.True(declined.IsHardDecline);
    }

    [Fact]
    public async Task ChargeToken_RiskBlocked_ReturnsHardDeclineWithFailedRiskCheck()
    {
        var result = await Gateway.ChargeTokenAsync(Charge(SandboxTokens.RiskBlocked));

        var declined = Assert.IsType<GatewayResult.Declined>(result);
        Assert.True(declined.IsHardDecline);
        Assert.NotNull(declined.Checks);
        Assert.True(declined.Checks.RiskCheckFailed);
        Assert.Equal("Transaction didn't pass risk management system.", declined.Checks.RiskMessage);
    }

    [Fact]
    public async Task ChargeToken_ThreeDSecureApprove_RequiresActionThenApprovedOnQuery()
    {
        var result = await Gateway.ChargeTokenAsync(Charge(SandboxTokens.ThreeDSecureApprove));

        var action = Assert.IsType<GatewayResult.RequiresAction>(result);
        Assert.Equal(new Uri(fixture.Server.BaseAddress, "sandbox/ecomcharge/process/" + action.GatewayTransactionId).AbsoluteUri, action.RedirectUrl);
        var later = await Gateway.QueryAsync(action.GatewayTransactionId);
        Assert.Equal(action.GatewayTransactionId, Assert.IsType<GatewayResult.Approved>(later).GatewayTransactionId);
    }

    [Fact]
    public async Task ChargeToken_ThreeDSecureDecline_RequiresActionThenDeclinedOnQueryByKey()
    {
        var key = NewKey();
        Assert.IsType<GatewayResult.RequiresAction>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.ThreeDSecureDecline, key)));

        var later = await Gateway.QueryByIdempotencyKeyAsync(key);

        var declined = Assert.IsType<GatewayResult.Declined>(later);
        Assert.Contains("3-D Secure", declined.Reason);
    }

    [Fact]
    public async Task ChargeToken_Pending_ReturnsPendingThenApprovedAfterThePendingTime()
    {
        var result = await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Pending));

        var pending = Assert.IsType<GatewayResult.Pending>(result);
        Assert.IsType<GatewayResult.Pending>(await Gateway.QueryAsync(pending.GatewayTransactionId));
        var resolved = await Eventually(() => Gateway.QueryAsync(pending.GatewayTransactionId), r => r is GatewayResult.Approved);
        Assert.IsType<GatewayResult.Approved>(resolved);
    }

    [Fact]
    public async Task ChargeToken_PendingResolves_SandboxPostsNotificationToThePortal()
    {
        var pending = Assert.IsType<GatewayResult.Pending>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Pending)));
        var callbacks = fixture.Service<SandboxCallbacks>();

        var attempt = await Eventually(
            () => Task.FromResult(callbacks.Attempts.FirstOrDefault(a => a.Source == "ecomcharge" && a.Body.Contains(pending.GatewayTransactionId))),
            a => a is not null);

        Assert.NotNull(attempt);
        Assert.Equal(new Uri(fixture.Server.BaseAddress, "webhooks/ecomcharge").AbsoluteUri, attempt.Url);
        Assert.Equal("sandbox-shop", attempt.BasicUser);
        var transaction = JsonNode.Parse(attempt.Body)!["transaction"]!;
        Assert.Equal("successful", transaction["status"]!.GetValue<string>());
        Assert.Equal(pending.GatewayTransactionId, transaction["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChargeToken_Timeout_ReturnsUnknownQuicklyAndQueryByKeyFindsTheCharge()
    {
        var key = NewKey();
        var clock = Stopwatch.StartNew();

        var result = await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Timeout, key));

        clock.Stop();
        var unknown = Assert.IsType<GatewayResult.Unknown>(result);
        Assert.Contains("timeout", unknown.Reason);
        // Unknown after the 2 s adapter timeout, not after the sandbox's 4 s answer.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3.9), $"took {clock.Elapsed}");
        Assert.Equal(1, Sandbox.ChargeRequestCount(key));
        Assert.IsType<GatewayResult.Approved>(await Gateway.QueryByIdempotencyKeyAsync(key));
    }

    [Fact]
    public async Task ChargeToken_ServerErrorWithKey_RetriedThenUnknown()
    {
        var key = NewKey();

        var result = await Gateway.ChargeTokenAsync(Charge(SandboxTokens.ServerError, key));

        Assert.Contains("HTTP 500", Assert.IsType<GatewayResult.Unknown>(result).Reason);
        Assert.Equal(3, Sandbox.ChargeRequestCount(key));
    }

    [Fact]
    public async Task ChargeToken_ServerErrorWithoutKey_NeverRetried()
    {
        var description = "unkeyed " + Guid.NewGuid().ToString("N");

        var result = await Gateway.ChargeTokenAsync(new ChargeRequest(null, 990, "EUR", description, SandboxTokens.ServerError, TokenChargeKind.MerchantInitiatedCycle));

        Assert.IsType<GatewayResult.Unknown>(result);
        Assert.Single(Sandbox.Requests, r => r.Description == description);
    }

    [Fact]
    public async Task ChargeToken_ServerErrorOnceWithKey_RetrySucceedsWithOneCharge()
    {
        var key = NewKey();

        var result = await Gateway.ChargeTokenAsync(Charge(SandboxTokens.ServerErrorOnce, key));

        Assert.IsType<GatewayResult.Approved>(result);
        Assert.Equal(2, Sandbox.ChargeRequestCount(key));
        Assert.Equal(1, Sandbox.TransactionCount(key));
    }

    [Fact]
    public async Task ChargeToken_MalformedJson_ReturnsUnknown()
    {
        var key = NewKey();

        var result = await Gateway.ChargeTokenAsync(Charge(SandboxTokens.MalformedJson, key));

        Assert.Contains("malformed JSON", Assert.IsType<GatewayResult.Unknown>(result).Reason);
        Assert.Equal(1, Sandbox.ChargeRequestCount(key));
    }

    [Fact]
    public async Task ChargeToken_DuplicateTrackingId_ReturnsFirstTransactionAndChargesOnce()
    {
        var key = NewKey();

        var first = Assert.IsType<GatewayResult.Approved>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Approve, key)));
        var second = Assert.IsType<GatewayResult.Approved>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Approve, key, amount: 9999)));

        Assert.Equal(first.GatewayTransactionId, second.GatewayTransactionId);
        Assert.Equal(1250, second.AmountMinor);
        Assert.Equal(2, Sandbox.ChargeRequestCount(key));
        Assert.Equal(1, Sandbox.TransactionCount(key));
    }

    [Theory]
    [InlineData(TokenChargeKind.RecurringFirst, """{"contract":["recurring"]}""")]
    [InlineData(TokenChargeKind.MerchantInitiatedCycle, """{"card_on_file":{"initiator":"merchant","type":"delayed_charge"}}""")]
    [InlineData(TokenChargeKind.MerchantInitiatedResubmission, """{"card_on_file":{"initiator":"merchant","type":"resubmission"}}""")]
    public async Task ChargeToken_Kind_SendsTheCardOnFileFlags(TokenChargeKind kind, string expected)
    {
        var key = NewKey();

        await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Approve, key, kind: kind));

        var request = Assert.Single(Sandbox.Requests, r => r.TrackingId == key);
        Assert.Equal(expected, request.AdditionalData);
    }

    [Fact]
    public async Task Refund_PartialsUpToTheParentAmount_ThenRefused()
    {
        var parent = Assert.IsType<GatewayResult.Approved>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Approve, amount: 1000)));

        var first = await Gateway.RefundAsync(new RefundRequest(parent.GatewayTransactionId, 400, "EUR", "damaged", NewKey()));
        var second = await Gateway.RefundAsync(new RefundRequest(parent.GatewayTransactionId, 600, "EUR", "rest", NewKey()));
        var third = await Gateway.RefundAsync(new RefundRequest(parent.GatewayTransactionId, 1, "EUR", "too much", NewKey()));

        var refund = Assert.IsType<GatewayResult.Approved>(first);
        Assert.Equal(400, refund.AmountMinor);
        Assert.Equal(parent.GatewayTransactionId, refund.ParentTransactionId);
        Assert.Equal("refund", refund.TransactionType);
        Assert.NotEqual(parent.GatewayTransactionId, refund.GatewayTransactionId);
        Assert.Equal(600, Assert.IsType<GatewayResult.Approved>(second).AmountMinor);
        var refused = Assert.IsType<GatewayResult.Declined>(third);
        Assert.Contains("exceeds the amount left to refund (0 of 1000)", refused.Reason);
        Assert.Equal(1000, Sandbox.RefundedAmountOf(parent.GatewayTransactionId));
    }

    [Fact]
    public async Task Refund_OverTheParentAmountAtOnce_RefusedAndNothingRefunded()
    {
        var parent = Assert.IsType<GatewayResult.Approved>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Approve, amount: 500)));

        var result = await Gateway.RefundAsync(new RefundRequest(parent.GatewayTransactionId, 501, "EUR", "oops", NewKey()));

        Assert.IsType<GatewayResult.Declined>(result);
        Assert.Equal(0, Sandbox.RefundedAmountOf(parent.GatewayTransactionId));
    }

    [Fact]
    public async Task Refund_DuplicateTrackingId_RefundsOnce()
    {
        var parent = Assert.IsType<GatewayResult.Approved>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Approve, amount: 1000)));
        var key = NewKey();

        var first = Assert.IsType<GatewayResult.Approved>(await Gateway.RefundAsync(new RefundRequest(parent.GatewayTransactionId, 300, "EUR", "r", key)));
        var again = Assert.IsType<GatewayResult.Approved>(await Gateway.RefundAsync(new RefundRequest(parent.GatewayTransactionId, 300, "EUR", "r", key)));

        Assert.Equal(first.GatewayTransactionId, again.GatewayTransactionId);
        Assert.Equal(2, Sandbox.RefundRequestCount(key));
        Assert.Equal(300, Sandbox.RefundedAmountOf(parent.GatewayTransactionId));
    }

    [Fact]
    public async Task Refund_UnknownParent_ReturnsHardDeclineWithTheGatewayMessage()
    {
        var result = await Gateway.RefundAsync(new RefundRequest("999-nosuchuid", 100, "EUR", "r", NewKey()));

        var declined = Assert.IsType<GatewayResult.Declined>(result);
        Assert.Equal("http_422", declined.Code);
        Assert.Contains("999-nosuchuid", declined.Reason);
        Assert.True(declined.IsHardDecline);
    }

    [Fact]
    public async Task Refund_RefundFailsToken_ReturnsDeclined()
    {
        var parent = Assert.IsType<GatewayResult.Approved>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.RefundFails)));

        var result = await Gateway.RefundAsync(new RefundRequest(parent.GatewayTransactionId, 100, "EUR", "r", NewKey()));

        var declined = Assert.IsType<GatewayResult.Declined>(result);
        Assert.Contains("Refund declined", declined.Reason);
        Assert.NotNull(declined.GatewayTransactionId);
    }

    [Fact]
    public async Task Refund_RefundTimeoutToken_ReturnsUnknownAndQueryByKeyFindsTheRefund()
    {
        var parent = Assert.IsType<GatewayResult.Approved>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.RefundTimesOut)));
        var key = NewKey();

        var result = await Gateway.RefundAsync(new RefundRequest(parent.GatewayTransactionId, 100, "EUR", "r", key));

        Assert.IsType<GatewayResult.Unknown>(result);
        Assert.Equal(1, Sandbox.RefundRequestCount(key));
        var found = Assert.IsType<GatewayResult.Approved>(await Gateway.QueryByIdempotencyKeyAsync(key));
        Assert.Equal(parent.GatewayTransactionId, found.ParentTransactionId);
        Assert.Equal(100, found.AmountMinor);
    }

    [Fact]
    public async Task Query_ByUidAndByKey_ReturnTheSameTransaction()
    {
        var key = NewKey();
        var charged = Assert.IsType<GatewayResult.Approved>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.Approve, key)));

        var byUid = Assert.IsType<GatewayResult.Approved>(await Gateway.QueryAsync(charged.GatewayTransactionId));
        var byKey = Assert.IsType<GatewayResult.Approved>(await Gateway.QueryByIdempotencyKeyAsync(key));

        Assert.Equal(charged.GatewayTransactionId, byUid.GatewayTransactionId);
        Assert.Equal(charged.GatewayTransactionId, byKey.GatewayTransactionId);
        Assert.Equal(key, byKey.IdempotencyKey);
    }

    [Fact]
    public async Task Query_UnknownUid_ReturnsNotFound()
    {
        Assert.IsType<GatewayResult.NotFound>(await Gateway.QueryAsync("0-doesnotexist"));
    }

    [Fact]
    public async Task QueryByIdempotencyKey_NeverSent_ReturnsNotFound()
    {
        Assert.IsType<GatewayResult.NotFound>(await Gateway.QueryByIdempotencyKeyAsync(NewKey()));
    }

    [Fact]
    public async Task ChargeToken_AnyOutcome_NeverLogsTheCardToken()
    {
        var token = "tok_secret_" + Guid.NewGuid().ToString("N");

        Assert.IsType<GatewayResult.Approved>(await Gateway.ChargeTokenAsync(Charge(token)));
        Assert.IsType<GatewayResult.Unknown>(await Gateway.ChargeTokenAsync(Charge(SandboxTokens.ServerError)));

        Assert.Contains(fixture.Logs.Lines, l => l.Contains("eComCharge charge", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.Lines, l => l.Contains(SandboxTokens.ServerError, StringComparison.Ordinal));
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || deadline.Elapsed > TimeSpan.FromSeconds(5))
                return value;
            await Task.Delay(100);
        }
    }
}
