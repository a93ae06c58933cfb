using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Domain.Refunds;
using Portal.Domain.Security;
using Portal.Jobs;

namespace Portal.Refunds;

/// <summary>The refund API body: amount in minor units of <c>currency</c>; reason one of duplicate, fraudulent, requested_by_customer, other.</summary>
public sealed record RefundApiRequest(
    string? PaymentId,
    string? TransactionId,
    long? Amount,
    string? Currency,
    string? Reason,
    string? Note,
    string? IdempotencyKey);

/// <summary>
/// <c>POST /api/refunds</c>: the same refund service the payment page uses. Cookie-authenticated,
/// Admin only (401 signed out, 403 otherwise; never a redirect). 201 with a new refund, 200 with
/// the earlier one when the idempotency key was seen before, 400 for a body that is not JSON,
/// 404 for an unknown payment/transaction, 409 when the transaction's state refuses it (too much,
/// attempt limit, key reused for a different refund), 422 for invalid fields or a gateway without
/// refunds. Never 500 for a refusal.
/// <para>
/// No antiforgery token: the endpoint accepts only <c>application/json</c> (a cross-site form
/// cannot send that without a CORS preflight, which the portal does not allow) and the auth
/// cookie is SameSite=Lax (not sent on cross-site POSTs). See docs/decisions/0006-refunds-exactly-once.md.
/// </para>
/// </summary>
public static class RefundEndpoints
{
    public static IServiceCollection AddRefunds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RefundOptions>().Bind(configuration.GetSection(RefundOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddTransient<IRefundGateways, PortalRefundGateways>();
        services.AddTransient<RefundService>();
        services.AddTransient<RefundCommands>();
        services.AddSingleton<RefundQueries>();
        // API calls get 401/403 instead of the sign-in page's redirect.
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            var toLogin = o.Events.OnRedirectToLogin;
            var toDenied = o.Events.OnRedirectToAccessDenied;
            o.Events.OnRedirectToLogin = c => IsApi(c.Request) ? Status(c.Response, StatusCodes.Status401Unauthorized) : toLogin(c);
            o.Events.OnRedirectToAccessDenied = c => IsApi(c.Request) ? Status(c.Response, StatusCodes.Status403Forbidden) : toDenied(c);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapRefunds(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/refunds", CreateAsync)
            // Signed in is enough to reach the handler: RefundCommands refuses non-admins itself (403),
            // so a refund attempted by someone without the role is in the audit log with what they asked for.
            .RequireAuthorization(p => p.RequireAuthenticatedUser())
            .DisableAntiforgery();
        return app;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    /// <summary>A problem body (so the status-code pages never re-execute an API call as a page).</summary>
    private static Task Status(HttpResponse response, int status)
    {
        if (response.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        response.StatusCode = status;
        return response.WriteAsJsonAsync(new
        {
            title = status == StatusCodes.Status401Unauthorized ? "Sign in required" : "Forbidden",
            status,
            detail = status == StatusCodes.Status401Unauthorized ? "Sign in to the portal first." : "Only an admin can refund.",
        }, options: null, contentType: "application/problem+json");
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // The web defaults read "100" as 100: an amount must be a JSON number, never text that happens to parse.
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static async Task<IResult> CreateAsync(HttpContext http, RefundCommands commands, ILogger<RefundCommands> logger, CancellationToken cancellationToken)
    {
        if (!http.Request.HasJsonContentType())
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Send the refund as application/json.");
        RefundApiRequest? body;
        try
        {
            body = await http.Request.ReadFromJsonAsync<RefundApiRequest>(Json, cancellationToken);
        }
        catch (JsonException ex) when (ex.Path is "$.amount")
        {
            return Problem(StatusCodes.Status400BadRequest, "amount must be a JSON number of minor units (such as 100), not a string or a fraction.");
        }
        catch (JsonException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "The body is not valid JSON for a refund: " + ex.Message);
        }
        if (body is null) return Problem(StatusCodes.Status400BadRequest, "The body is empty.");

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(body.PaymentId)) errors.Add("paymentId is required.");
        if (string.IsNullOrWhiteSpace(body.TransactionId)) errors.Add("transactionId is required.");
        if (body.Amount is null) errors.Add("amount (minor units) is required.");
        if (string.IsNullOrWhiteSpace(body.Currency)) errors.Add("currency is required.");
        if (string.IsNullOrWhiteSpace(body.IdempotencyKey)) errors.Add("idempotencyKey is required.");
        var reason = ParseReason(body.Reason);
        if (reason is null) errors.Add("reason must be one of duplicate, fraudulent, requested_by_customer, other.");
        if (errors.Count > 0) return Problem(StatusCodes.Status422UnprocessableEntity, string.Join(" ", errors));

        try
        {
            var result = await commands.RequestAsync(http.User,
                new RequestRefund(body.PaymentId!, body.TransactionId!, body.Amount!.Value, body.Currency!, reason!.Value, body.Note, body.IdempotencyKey!),
                RefundOrigins.Api, cancellationToken);
            var dto = Dto(result.Refund);
            return result.Created
                ? Results.Json(dto, Json, statusCode: StatusCodes.Status201Created)
                : Results.Json(dto, Json, statusCode: StatusCodes.Status200OK);
        }
        catch (RefundRefusedException ex)
        {
            return Problem(ex.Refusal switch
            {
                RefundRefusal.NotFound => StatusCodes.Status404NotFound,
                RefundRefusal.Conflict => StatusCodes.Status409Conflict,
                RefundRefusal.Forbidden or RefundRefusal.SecondFactorRequired => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status422UnprocessableEntity,
            }, ex.SetupPath is null ? ex.Message : $"{ex.Message} Set it up at {ex.SetupPath}.");
        }
        catch (Domain.DomainException ex)
        {
            logger.LogWarning("Refund API request refused: {Reason}", ex.Message);
            return Problem(StatusCodes.Status422UnprocessableEntity, ex.Message);
        }
    }

    private static RefundReason? ParseReason(string? value) => value?.Trim().Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant() switch
    {
        "duplicate" => RefundReason.Duplicate,
        "fraudulent" => RefundReason.Fraudulent,
        "requestedbycustomer" => RefundReason.RequestedByCustomer,
        "other" => RefundReason.Other,
        _ => null,
    };

    private static object Dto(RefundView r) => new
    {
        r.Id,
        r.PaymentId,
        r.TransactionId,
        r.Amount,
        r.Currency,
        Reason = r.Reason,
        r.Note,
        Status = r.Status,
        r.IdempotencyKey,
        r.GatewayRefundId,
        r.GatewayMessage,
        RequestedBy = r.RequestedByName,
        r.CreatedAtUtc,
        r.CompletedAtUtc,
    };

    private static IResult Problem(int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: status switch
        {
            400 => "Bad request",
            403 => "Forbidden",
            404 => "Not found",
            409 => "Refund refused",
            415 => "Unsupported media type",
            _ => "Refund refused",
        });
}
