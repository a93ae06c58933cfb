using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Gateways.EComCharge;

namespace Portal.Sandbox.EComCharge;

/// <summary>
/// The eComCharge API under <c>/sandbox/ecomcharge</c>: the same paths, bodies and HTTP Basic
/// authentication as the real one, with deterministic behaviours chosen by the card token
/// (<see cref="SandboxTokens"/>, docs/sandbox.md).
/// </summary>
internal static class EComChargeSandboxEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/transactions/payments", CreatePaymentAsync);
        group.MapPost("/transactions/refunds", CreateRefundAsync);
        group.MapGet("/transactions/tracking_id/{trackingId}", QueryByTrackingId);
        group.MapGet("/transactions/{uid}", Query);
        group.MapGet("/process/{uid}", ThreeDSecurePage);
        group.MapPost("/process/{uid}", CompleteThreeDSecureAsync);
    }

    private static async Task<IResult> CreatePaymentAsync(
        HttpContext http,
        EComChargeSandboxStore store,
        EComChargeSandboxNotifier notifier,
        IOptionsMonitor<EComChargeOptions> gateway,
        IOptions<SandboxOptions> sandbox,
        ILogger<EComChargeSandboxStore> logger)
    {
        var shop = gateway.CurrentValue;
        if (!SandboxAuth.HasBasic(http.Request, shop.ShopId, shop.SecretKey))
            return SandboxAuth.Unauthorized(http, "Basic", "eComCharge sandbox");
        var (body, error) = await SandboxJson.ReadAsync(http.Request);
        if (error is not null)
            return error;
        if (body!["request"] is not JsonObject request)
            return SandboxJson.ValidationFailed(new() { ["request"] = ["is required: the body is {\"request\": {...}}"] });

        var errors = new Dictionary<string, string[]>();
        var amount = SandboxJson.Long(request["amount"]);
        if (amount is null or <= 0)
            errors["amount"] = ["must be a positive integer in minor currency units"];
        var currency = SandboxJson.String(request["currency"]);
        if (currency is null || currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            errors["currency"] = ["must be an ISO 4217 code in upper case"];
        var description = SandboxJson.String(request["description"]);
        if (string.IsNullOrWhiteSpace(description) || description.Length > 255)
            errors["description"] = ["is required, at most 255 characters"];
        var trackingId = SandboxJson.String(request["tracking_id"]);
        if (trackingId is { Length: > 255 })
            errors["tracking_id"] = ["is at most 255 characters"];
        var card = request["credit_card"] as JsonObject;
        if (card?["number"] is not null)
            errors["credit_card.number"] = ["is never accepted by the sandbox: charge a stored card token"];
        var token = SandboxJson.String(card?["token"]);
        if (string.IsNullOrWhiteSpace(token))
            errors["credit_card.token"] = ["is required"];
        var notificationUrl = SandboxJson.String(request["notification_url"]);
        if (notificationUrl is not null && !Uri.TryCreate(notificationUrl, UriKind.Absolute, out _))
            errors["notification_url"] = ["must be an absolute URL"];
        if (errors.Count > 0)
            return SandboxJson.ValidationFailed(errors);

        var behaviour = SandboxTokens.For(token);
        var attempt = store.Record("charge", trackingId, description, null, request["additional_data"]?.ToJsonString());
        if (behaviour == SandboxCardBehaviour.ServerError || (behaviour == SandboxCardBehaviour.ServerErrorOnce && attempt == 1))
            return Results.Json(new { message = "Internal server error (sandbox test token)." }, statusCode: StatusCodes.Status500InternalServerError);

        var now = DateTimeOffset.UtcNow;
        var pendingFor = TimeSpan.FromSeconds(sandbox.Value.PendingSeconds);
        var processUrl = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/sandbox/ecomcharge/process/";
        var json = store.GetOrCreate(
            trackingId,
            uid => NewPayment(uid, behaviour, amount!.Value, currency!, description!, trackingId, token!,
                SandboxJson.String(request["customer"]?["email"]), notificationUrl, processUrl + uid, now, pendingFor),
            out var transaction,
            out var created);
        if (created && transaction.Status == "pending")
            notifier.ResolveLater(transaction.Uid, pendingFor);
        logger.LogInformation("Sandbox eComCharge charge {TrackingId} {Amount} {Currency}: {Status} {Uid} (new: {Created})",
            trackingId, amount, currency, json["status"]?.GetValue<string>(), transaction.Uid, created);
        return await RespondAsync(http, json, behaviour, refund: false, shop);
    }

    private static async Task<IResult> CreateRefundAsync(
        HttpContext http,
        EComChargeSandboxStore store,
        EComChargeSandboxMemory memory,
        IOptionsMonitor<EComChargeOptions> gateway,
        ILogger<EComChargeSandboxStore> logger)
    {
        var shop = gateway.CurrentValue;
        if (!SandboxAuth.HasBasic(http.Request, shop.ShopId, shop.SecretKey))
            return SandboxAuth.Unauthorized(http, "Basic", "eComCharge sandbox");
        var (body, error) = await SandboxJson.ReadAsync(http.Request);
        if (error is not null)
            return error;
        if (body!["request"] is not JsonObject request)
            return SandboxJson.ValidationFailed(new() { ["request"] = ["is required: the body is {\"request\": {...}}"] });

        var errors = new Dictionary<string, string[]>();
        var parentUid = SandboxJson.String(request["parent_uid"]);
        if (string.IsNullOrWhiteSpace(parentUid))
            errors["parent_uid"] = ["is required"];
        var amount = SandboxJson.Long(request["amount"]);
        if (amount is null or <= 0)
            errors["amount"] = ["must be a positive integer in minor currency units"];
        var reason = SandboxJson.String(request["reason"]);
        var trackingId = SandboxJson.String(request["tracking_id"]);
        if (errors.Count > 0)
            return SandboxJson.ValidationFailed(errors);

        store.Record("refund", trackingId, reason, parentUid);
        await memory.RecallAsync(parentUid!, http.RequestAborted);
        var json = store.Refund(parentUid!, amount!.Value, reason, trackingId, DateTimeOffset.UtcNow, out var parent);
        if (json is null)
            return SandboxJson.ValidationFailed(new() { ["parent_uid"] = [$"'{parentUid}' is not a payment transaction of this shop"] });
        logger.LogInformation("Sandbox eComCharge refund {TrackingId} of {ParentUid} {Amount}: {Status} {Message}",
            trackingId, parentUid, amount, json["status"]?.GetValue<string>(), json["message"]?.GetValue<string>());
        return await RespondAsync(http, json, parent!.Behaviour, refund: true, shop);
    }

    private static async Task<IResult> Query(string uid, HttpContext http, EComChargeSandboxStore store, EComChargeSandboxMemory memory,
        EComChargeSandboxNotifier notifier, IOptionsMonitor<EComChargeOptions> gateway)
    {
        var shop = gateway.CurrentValue;
        if (!SandboxAuth.HasBasic(http.Request, shop.ShopId, shop.SecretKey))
            return SandboxAuth.Unauthorized(http, "Basic", "eComCharge sandbox");
        store.RecordQuery(uid);
        await memory.RecallAsync(uid, http.RequestAborted);
        var json = store.Find(uid, DateTimeOffset.UtcNow, out var resolved);
        if (json is null)
            return Results.Json(new { message = $"Transaction {uid} not found." }, statusCode: StatusCodes.Status404NotFound);
        if (resolved is not null)
            notifier.NotifyInBackground([resolved]);
        return Results.Json(new JsonObject { ["transaction"] = json });
    }

    private static async Task<IResult> QueryByTrackingId(string trackingId, HttpContext http, EComChargeSandboxStore store, EComChargeSandboxMemory memory,
        EComChargeSandboxNotifier notifier, IOptionsMonitor<EComChargeOptions> gateway)
    {
        var shop = gateway.CurrentValue;
        if (!SandboxAuth.HasBasic(http.Request, shop.ShopId, shop.SecretKey))
            return SandboxAuth.Unauthorized(http, "Basic", "eComCharge sandbox");
        store.RecordQuery(trackingId);
        await memory.RecallByTrackingIdAsync(trackingId, http.RequestAborted);
        var resolved = new List<SandboxResolution>();
        var found = store.FindByTrackingId(trackingId, DateTimeOffset.UtcNow, resolved);
        notifier.NotifyInBackground(resolved);
        return Results.Json(new JsonObject { ["transactions"] = new JsonArray([.. found]) });
    }

    private static IResult ThreeDSecurePage(string uid, EComChargeSandboxStore store)
    {
        var status = store.StatusOf(uid);
        if (status is null)
            return SandboxJson.Page("3-D Secure (sandbox)", $"<p>No transaction {SandboxJson.Html(uid)}.</p>", StatusCodes.Status404NotFound);
        var form = status == "incomplete"
            ? $"""<form method="post"><button type="submit">Finish verification</button></form>"""
            : "";
        return SandboxJson.Page("3-D Secure (sandbox)",
            $"<p>Transaction <code>{SandboxJson.Html(uid)}</code> is <strong>{SandboxJson.Html(status)}</strong>.</p>{form}");
    }

    private static async Task<IResult> CompleteThreeDSecureAsync(string uid, EComChargeSandboxStore store, EComChargeSandboxNotifier notifier)
    {
        if (store.ResolveIfDue(uid, DateTimeOffset.UtcNow, completeThreeDSecure: true) is { } resolution)
            await notifier.NotifyAsync(resolution);
        var status = store.StatusOf(uid);
        return status is null
            ? SandboxJson.Page("3-D Secure (sandbox)", $"<p>No transaction {SandboxJson.Html(uid)}.</p>", StatusCodes.Status404NotFound)
            : SandboxJson.Page("3-D Secure (sandbox)",
                $"<p>Verification finished: transaction <code>{SandboxJson.Html(uid)}</code> is <strong>{SandboxJson.Html(status)}</strong>.</p>");
    }

    private static SandboxTransaction NewPayment(
        string uid, SandboxCardBehaviour behaviour, long amount, string currency, string description, string? trackingId,
        string token, string? email, string? notificationUrl, string processUrl, DateTimeOffset now, TimeSpan pendingFor)
    {
        var t = new SandboxTransaction
        {
            Uid = uid,
            Type = "payment",
            TrackingId = trackingId,
            Amount = amount,
            Currency = currency,
            Description = description,
            Token = token,
            CustomerEmail = email,
            NotificationUrl = notificationUrl,
            Behaviour = behaviour,
            CreatedAt = now,
            UpdatedAt = now,
            Status = "pending",
        };
        switch (behaviour)
        {
            case SandboxCardBehaviour.DeclineInsufficientFunds:
                t.Fail("Insufficient funds.", "51", now);
                break;
            case SandboxCardBehaviour.DeclineStolenCard:
                t.Fail("Stolen card, pick up.", "43", now);
                break;
            case SandboxCardBehaviour.DeclineDoNotHonor:
                t.Fail("Do not honor.", "05", now);
                break;
            case SandboxCardBehaviour.DeclineRiskCheck:
                t.RiskCheckFailed = true;
                t.Fail("Transaction didn't pass anti-fraud checks.", null, now);
                break;
            case SandboxCardBehaviour.ThreeDSecureThenApprove or SandboxCardBehaviour.ThreeDSecureThenDecline:
                t.Status = "incomplete";
                t.Message = null;
                t.RedirectUrl = processUrl;
                t.FinalStatus = behaviour == SandboxCardBehaviour.ThreeDSecureThenApprove ? "successful" : "failed";
                break;
            case SandboxCardBehaviour.PendingThenApprove:
                t.Status = "pending";
                t.Message = "Transaction is being processed.";
                t.ResolveAt = now + pendingFor;
                break;
            default:
                t.Succeed("Successfully processed", now);
                break;
        }
        return t;
    }

    /// <summary>Answers as the behaviour says: normally, after sleeping past the adapter's timeout, or with a truncated body.</summary>
    private static async Task<IResult> RespondAsync(HttpContext http, JsonObject transaction, SandboxCardBehaviour behaviour, bool refund, EComChargeOptions shop)
    {
        var timesOut = refund ? behaviour == SandboxCardBehaviour.RefundTimesOut : behaviour == SandboxCardBehaviour.Timeout;
        if (timesOut && !await SandboxJson.SleepAsync(2 * shop.Timeout, http.RequestAborted))
            return Results.Empty;
        var json = new JsonObject { ["transaction"] = transaction }.ToJsonString();
        if (!refund && behaviour == SandboxCardBehaviour.MalformedJson)
            return Results.Text(json[..(json.Length / 2)], "application/json");
        return Results.Text(json, "application/json");
    }
}
