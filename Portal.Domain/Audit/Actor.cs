namespace Portal.Domain.Audit;

/// <summary>Who performs an action: a signed-in person, a job or an inbound webhook.</summary>
public sealed record Actor(string Id, string Name, string Origin)
{
    public static Actor User(string id, string name) => new(id, name, "ui");

    public static Actor Job(string jobName) => new("job:" + jobName, jobName, "job:" + jobName);

    public static Actor Webhook(string source) => new("webhook:" + source, source, "webhook:" + source);

    public static Actor System { get; } = new("system", "system", "system");
}
