using Portal.Domain.Audit;

namespace Portal.Domain.Security;

/// <summary>
/// Asked by every domain service that moves money (refunds; recurring charges) before it does
/// anything, with the person or job acting. The portal's implementation requires an
/// authenticator app (TOTP) for Admin and Finance accounts; jobs and webhooks are not people and pass.
/// </summary>
public interface IMoneyMovementGuard
{
    /// <summary>Null when <paramref name="actor"/> may move money; otherwise why not, written for them.</summary>
    Task<MoneyMovementRefusal?> CheckAsync(Actor actor, CancellationToken cancellationToken = default);
}

/// <summary>Why a person may not move money yet, and where they fix it.</summary>
public sealed record MoneyMovementRefusal(string Message, string SetupPath);

/// <summary>Lets everyone through: for tests and tools that run the domain without the portal's accounts.</summary>
public sealed class AllowAllMoneyMovement : IMoneyMovementGuard
{
    public static AllowAllMoneyMovement Instance { get; } = new();

    public Task<MoneyMovementRefusal?> CheckAsync(Actor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult<MoneyMovementRefusal?>(null);
}
