using System.Security.Claims;
using Portal.Components.Shared;
using Portal.Domain.Audit;
using Portal.Domain.Refunds;
using Portal.Domain.Security;

namespace Portal.Refunds;

/// <summary>
/// The one door to <see cref="RefundService"/> for people (the payment page's dialog and the API):
/// checks the Admin role on the server whatever the UI showed, and names the actor for the audit log.
/// </summary>
public sealed class RefundCommands(RefundService refunds)
{
    public static bool MayRefund(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Admin);

    /// <exception cref="RefundRefusedException">Not an admin (Forbidden), or a refund rule refused it.</exception>
    public async Task<RefundRequestResult> RequestAsync(ClaimsPrincipal user, RequestRefund command, string origin, CancellationToken cancellationToken)
    {
        if (user.Identity?.IsAuthenticated != true)
            throw new RefundRefusedException(RefundRefusal.Forbidden, "Sign in as an admin to refund.");
        var actor = CurrentActor.From(user) with { Origin = origin };
        if (!MayRefund(user))
            throw await refunds.RefuseAsync(command, actor, RefundRefusal.Forbidden, "Only an admin can refund.");
        return await refunds.RequestAsync(command, actor, cancellationToken);
    }

    public Task<RefundQuote> QuoteAsync(string paymentId, string transactionId, CancellationToken cancellationToken) =>
        refunds.QuoteAsync(paymentId, transactionId, cancellationToken);
}

/// <summary>Where a person's refund came from, as written in the audit log and the status history.</summary>
public static class RefundOrigins
{
    public const string Page = "ui";
    public const string Api = "api";
}
