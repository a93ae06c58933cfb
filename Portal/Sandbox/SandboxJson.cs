using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Sandbox;

/// <summary>Reading loosely-typed JSON bodies the way a gateway would: every field checked, errors as 4xx with a message.</summary>
internal static class SandboxJson
{
    public static async Task<(JsonNode? Node, IResult? Error)> ReadAsync(HttpRequest request)
    {
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return node is JsonObject
                ? (node, null)
                : (null, Results.Json(new { message = "The body must be a JSON object." }, statusCode: StatusCodes.Status400BadRequest));
        }
        catch (JsonException ex)
        {
            return (null, Results.Json(new { message = $"The body is not valid JSON: {ex.Message}" }, statusCode: StatusCodes.Status400BadRequest));
        }
    }

    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static long? Long(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number) ? number : null;

    public static int? Int(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number : null;

    public static bool? Bool(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValue<bool>() : null;

    public static IResult ValidationFailed(Dictionary<string, string[]> errors) =>
        Results.Json(
            new { message = string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")), errors },
            statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>Waits, unless the caller hung up first (the "timeout" behaviours).</summary>
    public static async Task<bool> SleepAsync(TimeSpan delay, CancellationToken aborted)
    {
        try
        {
            await Task.Delay(delay, aborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public static string Html(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static IResult Page(string title, string body, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(
            $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{Html(title)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}
            dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}
            button{font-size:1rem;padding:.5rem 1.5rem;margin-right:.5rem}.note{color:#666;font-size:.9rem}</style>
            </head><body><h1>{{Html(title)}}</h1>{{body}}
            <p class="note">Portal sandbox: this page plays the gateway. No real card is charged.</p></body></html>
            """,
            "text/html; charset=utf-8",
            statusCode: statusCode);
}
