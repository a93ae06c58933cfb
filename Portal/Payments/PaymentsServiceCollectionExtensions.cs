namespace Portal.Payments;

public static class PaymentsServiceCollectionExtensions
{
    /// <summary>Query services of the payments and transactions pages, saved views and export progress.</summary>
    public static IServiceCollection AddPaymentPages(this IServiceCollection services)
    {
        services.AddSingleton<PaymentListQueries>();
        services.AddSingleton<TransactionListQueries>();
        services.AddSingleton<PaymentDetailsQueries>();
        services.AddSingleton<SavedViews>();
        services.AddSingleton<ExportProgress>();
        return services;
    }
}
