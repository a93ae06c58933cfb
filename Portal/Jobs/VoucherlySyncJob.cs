using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Portal.Domain.Money;
using Portal.Domain.Polling;
using Portal.Gateways.Voucherly;

namespace Portal.Jobs;

/// <summary>
/// Reads the open Voucherly payments (Requested, Paid) and the settled ones due for a re-read
/// (Confirmed, every <c>VoucherlySync:RecheckIntervalMinutes</c> while younger than
/// <c>VoucherlySync:RecheckHorizonDays</c>) from Voucherly and applies what changed, a bounded batch per run.
/// </summary>
public sealed class VoucherlySyncJob(VoucherlySync sync, IOptionsMonitor<VoucherlySyncOptions> options) : IPortalJob
{
    public const string Name = "voucherly-sync";

    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var r = await sync.SyncOpenPaymentsAsync(options.CurrentValue.BatchSize, cancellationToken);
        return new JobResult(r.Read,
            $"{r.Rechecked} settled re-read(s); {r.Updated} updated, {r.Unchanged} unchanged, {r.NotFound} not found, {r.Unanswered} unanswered, "
            + $"{r.Conflicts} conflicts, {r.Failed} failed, {r.RefusedReports} refused reports");
    }
}

/// <summary>Settings under <c>VoucherlySync</c>.</summary>
public sealed class VoucherlySyncOptions
{
    public const string Section = "VoucherlySync";

    /// <summary>Payments read per run: open ones first, settled ones due for a re-read fill the rest (at least a quarter while any are due).</summary>
    [Range(1, VoucherlySync.MaxBatchSize)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Currency of a Voucherly payment that has no transaction yet (the Payment object carries none of its own).</summary>
    public string DefaultCurrency { get; set; } = "EUR";
}

public static class VoucherlySyncServiceCollectionExtensions
{
    /// <summary>The Voucherly sync's settings, the port over the Voucherly adapter and the domain service (the job is registered in Program.cs).</summary>
    public static IServiceCollection AddVoucherlySync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VoucherlySyncOptions>().Bind(configuration.GetSection(VoucherlySyncOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => Currency.TryParse(o.DefaultCurrency, out _), $"{VoucherlySyncOptions.Section}:DefaultCurrency must be an ISO 4217 code the portal knows, such as EUR.")
            .ValidateOnStart();
        services.AddOptions<VoucherlyRecheckOptions>().Bind(configuration.GetSection(VoucherlyRecheckOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddTransient<IVoucherlyPayments, VoucherlyPaymentSource>();
        services.AddTransient<VoucherlySync>();
        return services;
    }
}
