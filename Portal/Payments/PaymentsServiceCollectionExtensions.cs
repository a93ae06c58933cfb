namespace Portal.Payments;

public static class PaymentsServiceCollectionExtensions
{
    /// <summary>Query services of the payments and transactions pages, saved views, export progress, and the Voucherly import command.</summary>
    public static IServiceCollection AddPaymentPages(this IServiceCollection services)
    {
        services.AddSingleton<PaymentListQueries>();
        services.AddSingleton<TransactionListQueries>();
        services.AddSingleton<PaymentDetailsQueries>();
        services.AddSingleton<SavedViews>();
        services.AddSingleton<ExportProgress>();
        services.AddTransient<VoucherlyImportCommands>();
        return services;
    }
}
