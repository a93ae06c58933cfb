using Microsoft.Extensions.Options;
using Portal.Domain.Recurring;

namespace Portal.Recurring;

public static class RecurringServiceCollectionExtensions
{
    /// <summary>
    /// Settings under <c>Recurring</c> (validated at start-up), the command service, the runner the
    /// <c>recurring-charges</c> job calls, and the pages' query service.
    /// </summary>
    public static IServiceCollection AddRecurring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecurringOptions>().Bind(configuration.GetSection(RecurringOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RecurringOptions>, RecurringOptionsValidator>();
        services.AddTransient<RecurringChargeRunner>();
        services.AddTransient<RecurringScheduleService>();
        services.AddSingleton<RecurringQueries>();
        return services;
    }

    /// <summary><c>GET /recurring/export.csv</c>: the filtered schedules (Finance and Admin).</summary>
    public static IEndpointRouteBuilder MapRecurring(this IEndpointRouteBuilder app)
    {
        app.MapGet("/recurring/export.csv", async (HttpContext http, RecurringQueries queries, CancellationToken ct) =>
        {
            var request = RecurringListUrl.Parse(k => http.Request.Query[k].FirstOrDefault());
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition =
                $"attachment; filename=\"recurring-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
            await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false), 64 * 1024, leaveOpen: true);
            await RecurringCsv.WriteAsync(writer, queries.ExportRowsAsync(request.Filter, request.Sort, request.Descending, ct), ct);
            await writer.FlushAsync(ct);
        }).RequireAuthorization(p => p.RequireRole(Domain.Security.Roles.Finance, Domain.Security.Roles.Admin));
        return app;
    }
}

/// <summary>Stops start-up with every problem of the <c>Recurring</c> section named.</summary>
internal sealed class RecurringOptionsValidator : IValidateOptions<RecurringOptions>
{
    public ValidateOptionsResult Validate(string? name, RecurringOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
