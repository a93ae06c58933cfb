namespace Portal.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>The scheduler, the run recorder and the Jobs page's queries.</summary>
    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section))
            .Validate(o => o.IntervalSeconds.Values.All(s => s > 0), "Jobs:IntervalSeconds values must be positive numbers of seconds.")
            .ValidateOnStart();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<PortalScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<PortalScheduler>());
        services.AddSingleton<JobQueries>();
        return services;
    }

    /// <summary>Registers a job class under a stable name (used in settings, leases and history).</summary>
    public static IServiceCollection AddPortalJob<TJob>(this IServiceCollection services, string name, string title,
        string description, TimeSpan interval) where TJob : class, IPortalJob
    {
        services.AddScoped<TJob>();
        services.AddSingleton(new JobDefinition(name, title, description, typeof(TJob), interval));
        return services;
    }
}
