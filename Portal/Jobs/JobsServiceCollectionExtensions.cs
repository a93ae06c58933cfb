using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.Storage.SQLite;
using Portal.Configuration;
using Portal.Domain.Polling;
using Portal.Domain.Webhooks;
using Portal.Domain.Security;

namespace Portal.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Hangfire on <c>hangfire.db</c> in the data folder, the catalog's jobs, the runner that records
    /// runs in <c>portal.db</c>, the scheduler that registers them and the Jobs page's queries.
    /// </summary>
    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration configuration, PortalPaths paths)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section))
            .Validate(o => o.Cron.Keys.All(k => JobCatalog.All.Any(j => j.Name == k)),
                "Jobs:Cron names a job that does not exist (known: " + string.Join(", ", JobCatalog.All.Select(j => j.Name)) + ").")
            .Validate(o => o.PollingIntervalSeconds is >= 1 and <= 300, "Jobs:PollingIntervalSeconds must be between 1 and 300.")
            .Validate(o => o.WorkerCount is >= 1 and <= 20, "Jobs:WorkerCount must be between 1 and 20.")
            .ValidateOnStart();
        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        var polling = TimeSpan.FromSeconds(Math.Clamp(jobs.PollingIntervalSeconds, 1, 300));

        // Registered before AddHangfire, whose TryAdd defaults are the process-wide statics
        // (JobStorage.Current, JobActivator.Current) that the last host started would own.
        services.AddSingleton<JobStorage>(sp =>
        {
            sp.GetRequiredService<IGlobalConfiguration>(); // the log provider is set before the storage logs
            return new SQLiteStorage(paths.HangfireDatabaseFile, new SQLiteStorageOptions
            {
                QueuePollInterval = polling,
            });
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) =>
        {
            HangfireLogging.Instance.Attach(sp.GetRequiredService<ILoggerFactory>());
            config.UseLogProvider(HangfireLogging.Instance)
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
        });
        services.AddHangfireServer((sp, o) =>
        {
            o.ServerName = "portal:" + sp.GetRequiredService<JobRunner>().InstanceId;
            o.WorkerCount = Math.Clamp(jobs.WorkerCount, 1, 20);
            o.SchedulePollingInterval = polling;
        });

        foreach (var job in JobCatalog.All)
        {
            services.AddScoped(job.JobType);
            services.AddSingleton(job);
        }
        services.AddSingleton<JobProgressHub>();
        services.AddScoped<JobRunProgress>();
        services.AddScoped<IBatchProgress>(sp => sp.GetRequiredService<JobRunProgress>());
        services.AddOptions<StatusPollerOptions>().Bind(configuration.GetSection(StatusPollerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<WebhookRetryOptions>().Bind(configuration.GetSection(WebhookRetryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddTransient<WebhookRetry>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<JobScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
        services.AddTransient<HangfireJobInvoker>();
        services.AddSingleton<JobQueries>();
        return services;
    }

    /// <summary>Hangfire's dashboard at <c>/hangfire</c>: sign-in required (the fallback policy), Admin only.</summary>
    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminDashboardAuthorization()],
            AppPath = "/jobs",
            DashboardTitle = "Merchant Portal · Hangfire",
            DisplayStorageConnectionString = false,
        }, app.ServiceProvider.GetRequiredService<JobStorage>());
        return app;
    }
}

/// <summary>Lets only the portal's signed-in admins (cookie identity) into the Hangfire dashboard; Hangfire answers 403 to others.</summary>
public sealed class AdminDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Admin);
    }
}
