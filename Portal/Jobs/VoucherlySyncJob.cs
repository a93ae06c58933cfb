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
        return new JobResult(r.Read, Describe(r));
    }

    /// <summary>"12 read (3 settled re-reads): 2 updated, 10 unchanged", naming only the outcomes that happened.</summary>
    internal static string Describe(VoucherlySyncBatchResult r)
    {
        if (r.Read == 0) return "Nothing to read: no open Voucherly payment and no settled one due for a re-read.";
        var outcomes = new (int Count, string Label)[]
            {
                (r.Created, "created"), (r.Updated, "updated"), (r.Unchanged, "unchanged"), (r.NotFound, "not found at Voucherly"),
                (r.Unanswered, "unanswered"), (r.Conflicts, "left for the next run (changed meanwhile)"), (r.Failed, "failed"),
                (r.RefusedReports, "reported move(s) refused"),
            }
            .Where(o => o.Count > 0)
            .Select(o => $"{o.Count} {o.Label}");
        var rechecked = r.Rechecked > 0 ? $" ({r.Rechecked} settled re-read{(r.Rechecked == 1 ? "" : "s")})" : "";
        return $"{r.Read} read{rechecked}: {string.Join(", ", outcomes)}";
    }
}

/// <summary>Settings under <c>VoucherlySync</c>.</summary>
public sealed class VoucherlySyncOptions
{
    public const string Section = "VoucherlySync";

    /// <summary>Payments read per run: open ones first, settled ones due for a re-read fill the rest (at least a quarter, and at least one in a batch of two or more, while any are due).</summary>
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
