using System.Net;
using Portal.Domain.Gateways;
using Portal.Gateways;
using Portal.Gateways.EComCharge;

namespace Portal.Tests.Gateways;

/// <summary>The pure parts: decline rules, status-code mapping, currency exponents, secrets kept out of ToString.</summary>
public sealed class GatewayUnitTests
{
    [Theory]
    [InlineData("51", "Insufficient funds", false, false)]
    [InlineData("43", "Stolen card, pick up", false, true)]
    [InlineData("05", "Do not honor", false, true)]
    [InlineData(null, "Do not honour", false, true)]
    [InlineData(null, "Card reported lost card", false, true)]
    [InlineData(null, "Exceeds withdrawal limit", false, false)]
    [InlineData(null, "Something odd happened", false, false)]
    [InlineData(null, null, true, true)]
    [InlineData("91", "Issuer unavailable", false, false)]
    public void DeclineRules_CodeMessageRisk_ClassifiesHardOrSoft(string? code, string? message, bool riskFailed, bool hard)
    {
        Assert.Equal(hard, EComChargeDeclineRules.IsHard(code, message, riskFailed));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "Charge", typeof(GatewayResult.Unknown))]
    [InlineData(HttpStatusCode.BadGateway, "Refund", typeof(GatewayResult.Unknown))]
    [InlineData(HttpStatusCode.RequestTimeout, "Charge", typeof(GatewayResult.Unknown))]
    [InlineData(HttpStatusCode.TooManyRequests, "Charge", typeof(GatewayResult.Unknown))]
    [InlineData(HttpStatusCode.Unauthorized, "Charge", typeof(GatewayResult.Declined))]
    [InlineData(HttpStatusCode.UnprocessableEntity, "Refund", typeof(GatewayResult.Declined))]
    [InlineData(HttpStatusCode.NotFound, "Query", typeof(GatewayResult.NotFound))]
    [InlineData(HttpStatusCode.Unauthorized, "Query", typeof(GatewayResult.Unknown))]
    [InlineData(HttpStatusCode.Redirect, "Charge", typeof(GatewayResult.Unknown))]
    [InlineData(HttpStatusCode.OK, "Charge", typeof(GatewayResult.Unknown))]
    public void ResultMapper_StatusCode_MapsToTheResultKind(HttpStatusCode status, string operation, Type expected)
    {
        var result = EComChargeResultMapper.Map(new GatewayExchange(status, """{"message":"nope"}""", null), Enum.Parse<EComChargeOperation>(operation));

        Assert.IsType(expected, result);
    }

    [Fact]
    public void ResultMapper_4xxOnCharge_CarriesTheGatewayMessage()
    {
        var result = EComChargeResultMapper.Map(new GatewayExchange(HttpStatusCode.UnprocessableEntity, """{"message":"amount must be positive"}""", null), EComChargeOperation.Charge);

        var declined = Assert.IsType<GatewayResult.Declined>(result);
        Assert.Equal(("amount must be positive", "http_422", true), (declined.Reason, declined.Code, declined.IsHardDecline));
    }

    [Theory]
    [InlineData("""{"transaction":{"uid":"1-a","status":"successful"}}""")]
    [InlineData("""{"transaction":{"uid":"1-a","status":"weird","amount":1,"currency":"EUR"}}""")]
    [InlineData("""{"transaction":{"status":"successful","amount":1,"currency":"EUR"}}""")]
    [InlineData("""{"transaction":{"uid":"1-a","status":"successful","amount":1.5,"currency":"EUR"}}""")]
    [InlineData("""{"something":"else"}""")]
    [InlineData("<html>oops</html>")]
    public void ResultMapper_IncompleteOrUnreadable2xx_IsUnknownNeverDeclined(string body)
    {
        var result = EComChargeResultMapper.Map(new GatewayExchange(HttpStatusCode.OK, body, null), EComChargeOperation.Charge);

        Assert.IsType<GatewayResult.Unknown>(result);
    }

    [Fact]
    public void ResultMapper_IncompleteWithoutRedirect_IsPending()
    {
        var result = EComChargeResultMapper.Map(new GatewayExchange(HttpStatusCode.OK, """{"transaction":{"uid":"1-a","status":"incomplete"}}""", null), EComChargeOperation.Charge);

        Assert.Equal("1-a", Assert.IsType<GatewayResult.Pending>(result).GatewayTransactionId);
    }

    [Fact]
    public void ResultMapper_SpecFailedBeProtectedExample_HardDeclineWithRiskCheck()
    {
        // The "failed beProtected" example of 001_33a299db6d31757f.txt, trimmed to the fields the adapter reads.
        const string body = """
            {"transaction":{"be_protected_verification":{"status":"failed","message":"Transaction didn't pass risk management system."},
             "uid":"1-2d4b20c72a","status":"failed","amount":100,"currency":"USD","type":"payment","tracking_id":"tracking_id_000",
             "message":"Merchant terminal limits exceeded (maximum transaction amount). Transaction didn't pass anti-fraud checks.",
             "credit_card":{"brand":"visa","last_4":"0000","exp_month":1,"exp_year":2020,"token":"2bbd9f"}}}
            """;

        var result = EComChargeResultMapper.Map(new GatewayExchange(HttpStatusCode.OK, body, null), EComChargeOperation.Charge);

        var declined = Assert.IsType<GatewayResult.Declined>(result);
        Assert.True(declined.IsHardDecline);
        Assert.True(declined.Checks!.RiskCheckFailed);
        Assert.Equal("tracking_id_000", declined.IdempotencyKey);
        Assert.Equal("0000", declined.Card!.Last4);
    }

    [Fact]
    public void ResultMapper_TransportFailure_IsUnknownWithTheReason()
    {
        var result = EComChargeResultMapper.Map(new GatewayExchange(null, null, "timeout: no answer within 1 s"), EComChargeOperation.Refund);

        Assert.Equal("timeout: no answer within 1 s", Assert.IsType<GatewayResult.Unknown>(result).Reason);
    }

    [Theory]
    [InlineData(1240, "GBP", "12.40")]
    [InlineData(5, "EUR", "0.05")]
    [InlineData(100000, "HUF", "1000.00")]
    [InlineData(1240, "JPY", "1240")]
    [InlineData(1240, "BHD", "1.240")]
    public void CurrencyExponents_FormatAndParse_RoundTripExactly(long minor, string currency, string text)
    {
        Assert.Equal(text, CurrencyExponents.FormatDecimal(minor, currency));
        Assert.True(CurrencyExponents.TryParseDecimal(text, currency, out var parsed));
        Assert.Equal(minor, parsed);
    }

    [Theory]
    [InlineData("12.405", "GBP")]
    [InlineData("12.4", "JPY")]
    [InlineData("abc", "EUR")]
    [InlineData("-1.00", "EUR")]
    public void CurrencyExponents_TooManyDigitsOrNotANumber_Rejected(string text, string currency)
    {
        Assert.False(CurrencyExponents.TryParseDecimal(text, currency, out _));
    }

    [Fact]
    public void ToString_RequestsAndCards_NeverPrintTheToken()
    {
        var request = new ChargeRequest("k", 100, "EUR", "d", "tok_very_secret", TokenChargeKind.RecurringFirst);
        var card = new CardDetails("visa", "1111", 12, 2030, "tok_very_secret");
        var approved = new GatewayResult.Approved("1-a", 100, "EUR") { Card = card };

        Assert.DoesNotContain("tok_very_secret", request.ToString());
        Assert.DoesNotContain("tok_very_secret", card.ToString());
        Assert.DoesNotContain("tok_very_secret", approved.ToString());
    }
}
