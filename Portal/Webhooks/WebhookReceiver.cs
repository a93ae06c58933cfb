using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Domain.Webhooks;

namespace Portal.Webhooks;

/// <summary>
/// The one pipeline every inbound webhook goes through: authenticate (before reading the body),
/// check size and media type, parse, validate, mask, then hand the event to the domain's
/// ingestion service, which stores and applies it in one transaction. Bad input gets a 4xx with
/// a message and writes nothing.
/// </summary>
public sealed class WebhookReceiver(
    IOptionsMonitor<WebhookOptions> options,
    WebhookIngestion ingestion,
    ILogger<WebhookReceiver> logger)
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    public async Task<IResult> ReceiveAsync(HttpContext http, WebhookSource source, Func<JsonElement, InboundPaymentEvent> parse,
        CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var credentials = source switch
        {
            WebhookSource.Vcc => settings.Vcc,
            WebhookSource.EComCharge => settings.EComCharge,
            _ => settings.CardGateway,
        };
        if (!BasicCredentials.Match(http.Request.Headers.Authorization, credentials))
        {
            logger.LogWarning("Webhook {Source} refused: missing or wrong credentials from {Remote}", source, http.Connection.RemoteIpAddress);
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"webhooks\", charset=\"UTF-8\"";
            return Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "Valid HTTP Basic credentials for this webhook are required.");
        }

        if (http.Request.ContentLength > settings.MaxBodyBytes)
            return TooLarge(settings.MaxBodyBytes);
        if (!IsJson(http.Request.ContentType))
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the payload as application/json.");
        if (!IsUtf8Charset(http.Request.ContentType))
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported charset", "Send the payload as application/json in UTF-8 (charset=utf-8 or no charset).");

        var body = await ReadLimitedAsync(http.Request.Body, settings.MaxBodyBytes, cancellationToken);
        if (body is null)
            return TooLarge(settings.MaxBodyBytes);
        if (body.Length == 0)
            return Problem(StatusCodes.Status400BadRequest, "Empty body", "The request has no body.");

        // JSON parsing checks structure eagerly but string contents lazily: refuse bad UTF-8 up front.
        if (!System.Text.Unicode.Utf8.IsValid(body))
            return Problem(StatusCodes.Status400BadRequest, "Malformed body", "The body is not valid UTF-8.");

        InboundPaymentEvent inbound;
        string masked;
        try
        {
            using (var document = JsonDocument.Parse(body, JsonOptions))
            {
                if (JsonDocumentCheck.FindProblem(document.RootElement) is { } problem)
                    return Problem(StatusCodes.Status400BadRequest, "Malformed JSON", PayloadMasker.MaskText(problem));
            }
            // The one boundary for card data: from here on only the scrubbed copy is read (card
            // numbers masked wherever they stand, CVV/PIN keys removed), so ids, event keys,
            // stored rows, audit entries and log lines never see a full card number.
            var sensitiveKeys = settings.SensitiveKeys.ToSensitiveKeys();
            var scrubbed = PayloadMasker.Scrub(JsonNode.Parse(body, documentOptions: JsonOptions), sensitiveKeys);
            using (var clean = JsonDocument.Parse(scrubbed?.ToJsonString() ?? "null", JsonOptions))
                inbound = parse(clean.RootElement);
            masked = StoredPayload.Limit(PayloadMasker.Mask(scrubbed, sensitiveKeys), settings.MaxStoredPayloadBytes);
        }
        catch (JsonException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "Malformed JSON", "The body is not valid JSON: " + PayloadMasker.MaskText(ex.Message));
        }
        catch (InboundValidationException ex)
        {
            logger.LogInformation("Webhook {Source} rejected: {Errors}", source, string.Join("; ", ex.Errors.Select(PayloadMasker.MaskText)));
            return Results.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Invalid event",
                Detail = string.Join(" ", ex.Errors.Select(PayloadMasker.MaskText)),
                Extensions = { ["errors"] = ex.Errors.Select(PayloadMasker.MaskText).ToArray() },
            });
        }

        var result = await ingestion.IngestAsync(inbound, masked, cancellationToken);
        logger.LogInformation("Webhook {Source} event {EventKey}: {Outcome} (payment {PaymentId})",
            source, inbound.EventKey, result.Outcome, result.PaymentId);
        return Results.Ok(new
        {
            outcome = result.Outcome.ToString().ToLowerInvariant(),
            deliveryId = result.DeliveryId,
            paymentId = result.PaymentId,
            message = result.Message,
        });
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>JSON is UTF-8 (RFC 8259); a body declared in another charset would be read wrongly.</summary>
    private static bool IsUtf8Charset(string? contentType)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed)) return false;
        var charset = parsed.Charset.Value?.Trim('"');
        return string.IsNullOrEmpty(charset)
               || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
               || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }

    /// <returns>The body, or null when it is longer than the limit.</returns>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static IResult TooLarge(int limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body is larger than {limit / 1024} KB.");

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);
}
