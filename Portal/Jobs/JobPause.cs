namespace Portal.Jobs;

/// <summary>
/// A recurring job an admin paused: while the row exists the job has no Hangfire recurring
/// registration (removed on pause and again at every start-up) and a scheduled run that still
/// fires is skipped. Kept in the portal's database so a restart keeps it paused.
/// </summary>
public sealed class JobPause
{
    private JobPause() { }

    public JobPause(string jobName, DateTime pausedAtUtc, string pausedBy)
    {
        JobName = jobName;
        PausedAtUtc = pausedAtUtc;
        PausedBy = pausedBy;
    }

    public string JobName { get; private set; } = "";
    public DateTime PausedAtUtc { get; private set; }
    public string PausedBy { get; private set; } = "";
}
