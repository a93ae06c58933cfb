using Microsoft.Extensions.Options;
using Portal.Gateways.Voucherly;

namespace Portal.Sandbox.Voucherly;

/// <summary>
/// Voucherly under <c>/sandbox/voucherly</c>: <c>GET /payments/{id}</c> and the assumed
/// <c>POST /payments/{id}/refund</c>, bearer API key as the adapter sends it. An id the store
/// does not hold is first recalled from the portal's records (<see cref="VoucherlySandboxMemory"/>).
/// </summary>
internal static class VoucherlySandboxEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/payments/{id}", GetPaymentAsync);
        group.MapPost("/payments/{id}/refund", RefundAsync);
    }

    private static async Task<IResult> GetPaymentAsync(string id, HttpContext http, VoucherlySandboxStore store, VoucherlySandboxMemory memory,
        IOptionsMonitor<VoucherlyOptions> options)
    {
        var current = options.CurrentValue;
        if (!SandboxAuth.HasBearer(http.Request, current.ApiKey))
            return SandboxAuth.Unauthorized(http, "Bearer", "Voucherly sandbox");
        store.CountRead(id);
        switch (id)
        {
            case VoucherlySandboxSeed.ServerError:
                return Results.Json(new { message = "Internal server error (sandbox test id)." }, statusCode: StatusCodes.Status500InternalServerError);
            case VoucherlySandboxSeed.MalformedJson:
                return Results.Text("{\"id\": \"vly_pay_malformed_json\", \"status\": \"Conf", "application/json");
            case VoucherlySandboxSeed.Timeout:
                await SandboxJson.SleepAsync(2 * current.Timeout, http.RequestAborted);
                return Results.Json(new { message = "Too late (sandbox test id)." }, statusCode: StatusCodes.Status504GatewayTimeout);
        }
        await memory.RecallAsync(id, http.RequestAborted);
        var json = store.Json(id);
        return json is null
            ? Results.Json(new { message = $"Payment {id} not found." }, statusCode: StatusCodes.Status404NotFound)
            : Results.Text(json, "application/json");
    }

    private static async Task<IResult> RefundAsync(string id, HttpContext http, VoucherlySandboxStore store, VoucherlySandboxMemory memory,
        IOptionsMonitor<VoucherlyOptions> options)
    {
        if (!SandboxAuth.HasBearer(http.Request, options.CurrentValue.ApiKey))
            return SandboxAuth.Unauthorized(http, "Bearer", "Voucherly sandbox");
        var (body, error) = await SandboxJson.ReadAsync(http.Request);
        if (error is not null)
            return error;
        await memory.RecallAsync(id, http.RequestAborted);
        var (json, status, message) = store.Refund(id, SandboxJson.String(body!["transactionId"]), SandboxJson.Long(body["amount"]));
        return json is null
            ? Results.Json(new { message }, statusCode: status)
            : Results.Text(json, "application/json");
    }
}
