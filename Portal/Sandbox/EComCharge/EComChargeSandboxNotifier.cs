using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Gateways.EComCharge;

namespace Portal.Sandbox.EComCharge;

/// <summary>
/// Resolves pending sandbox transactions when their time comes, and posts eComCharge
/// notifications (the transaction response format, HTTP Basic with the shop id and secret, as
/// the real gateway does) to the <c>notification_url</c> of a transaction that resolves.
/// </summary>
public sealed class EComChargeSandboxNotifier(
    EComChargeSandboxStore store,
    SandboxCallbacks callbacks,
    IOptionsMonitor<EComChargeOptions> gateway,
    IHostApplicationLifetime lifetime,
    ILogger<EComChargeSandboxNotifier> logger)
{
    internal void ResolveLater(string uid, TimeSpan after)
    {
        var stopping = lifetime.ApplicationStopping;
        // Background work of the "gateway": it must not carry the request that triggered it.
        using var _ = ExecutionContext.SuppressFlow();
        Task.Run(async () =>
        {
            if (!await SandboxJson.SleepAsync(after + TimeSpan.FromMilliseconds(20), stopping))
                return;
            if (store.ResolveIfDue(uid, DateTimeOffset.UtcNow, completeThreeDSecure: false) is { } resolution)
                await NotifyAsync(resolution);
        }, stopping);
    }

    /// <summary>Notifies without holding up the caller (a query must answer fast).</summary>
    internal void NotifyInBackground(IEnumerable<SandboxResolution> resolutions)
    {
        using var _ = ExecutionContext.SuppressFlow();
        foreach (var resolution in resolutions)
            Task.Run(() => NotifyAsync(resolution), lifetime.ApplicationStopping);
    }

    internal async Task NotifyAsync(SandboxResolution resolution)
    {
        if (string.IsNullOrWhiteSpace(resolution.NotificationUrl)
            || !Uri.TryCreate(resolution.NotificationUrl, UriKind.Absolute, out var url))
            return;
        try
        {
            var shop = gateway.CurrentValue;
            var body = new JsonObject { ["transaction"] = resolution.Transaction.DeepClone() }.ToJsonString();
            await callbacks.PostAsync("ecomcharge", url, body, shop.ShopId, shop.SecretKey, lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
            // The portal is stopping; a real gateway would retry later, the sandbox does not need to.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Sandbox eComCharge notification for {Uid} failed", resolution.Uid);
        }
    }
}
