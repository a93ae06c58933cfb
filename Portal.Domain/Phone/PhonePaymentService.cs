using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;
using Portal.Domain.Money;
using Portal.Domain.Payments;

namespace Portal.Domain.Phone;

/// <summary>What a staff member enters to take a payment from a caller.</summary>
public sealed record StartPhonePayment(decimal Amount, string Currency, string? CallerFirstName, string? CallerLastName,
    string? CallerEmail, string? MerchantReference);

/// <summary>The contact centre's answer to "open a secure payment form for this agent".</summary>
public abstract record PhoneSessionOpened
{
    private PhoneSessionOpened() { }

    public sealed record Created(string SessionGuid, string IframeUrl, string? ProviderSessionGuid) : PhoneSessionOpened;

    public sealed record Refused(string Message) : PhoneSessionOpened;

    public sealed record Unknown(string Reason) : PhoneSessionOpened;
}

/// <summary>Port to the contact centre's session API (VCC <c>POST /v1/session</c>).</summary>
public interface IPhonePaymentSessions
{
    Task<PhoneSessionOpened> OpenAsync(string agentId, string? firstName, string? surname, string? email, Money.Money amount,
        string merchantReference, CancellationToken cancellationToken);
}

/// <summary>
/// Starts agent-assisted phone payments: asks the contact centre for a secure form first (no
/// money moves there until the caller pays), then records the waiting payment, the session and
/// the audit entry in one save. The contact centre's callback completes the payment.
/// </summary>
public sealed class PhonePaymentService(
    IDbContextFactory<DbContext> dbFactory,
    IPhonePaymentSessions sessions,
    AuditTrail audit,
    TimeProvider clock)
{
    public async Task<PhoneSession> StartAsync(StartPhonePayment request, Actor actor, CancellationToken cancellationToken)
    {
        var currency = Currency.TryParse(request.Currency, out var c) ? c : throw new DomainException("Choose the currency of the payment.");
        var amount = Money.Money.FromDecimal(request.Amount, currency);
        if (amount.Minor <= 0) throw new DomainException("The amount must be more than zero.");
        var email = string.IsNullOrWhiteSpace(request.CallerEmail) ? null : request.CallerEmail.Trim();
        if (email is not null && !MailAddress.TryCreate(email, out _)) throw new DomainException($"'{email}' is not a valid email address.");
        var first = Clean(request.CallerFirstName, "first name");
        var last = Clean(request.CallerLastName, "last name");
        if (first is null && last is null) throw new DomainException("Enter the caller's name.");
        var reference = string.IsNullOrWhiteSpace(request.MerchantReference)
            ? "PHN-" + Ids.New("x", clock)[^10..].ToUpperInvariant()
            : Clean(request.MerchantReference, "merchant reference", 60)!;

        await using (var check = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await check.Set<PhoneSession>().AnyAsync(s => s.MerchantReference == reference, cancellationToken))
                throw new DomainException($"A phone payment with reference {reference} already exists; use another reference.");
        }

        var opened = await sessions.OpenAsync(actor.Name, first, last, email, amount, reference, cancellationToken);
        var created = opened switch
        {
            PhoneSessionOpened.Created ok => ok,
            PhoneSessionOpened.Refused refused => throw new DomainException("The contact centre refused the session: " + refused.Message),
            PhoneSessionOpened.Unknown unknown => throw new DomainException(
                "The contact centre did not answer (" + unknown.Reason + "). No payment was taken; try again."),
            _ => throw new InvalidOperationException("Unexpected answer."),
        };

        var now = clock.GetUtcNow().UtcDateTime;
        var payment = Payment.Create(new NewPayment
        {
            Currency = currency,
            Source = PaymentSource.Vcc,
            CreatedAtUtc = now,
            ReferenceId = reference,
            Customer = PaymentCustomer.Create(email: email, firstName: first, lastName: last),
            SelectedGatewayId = "vcc",
            AgentName = actor.Name,
            InCall = true,
        }, "phone:" + actor.Name);
        payment.AddLine(new NewPaymentLine { Quantity = 1, UnitAmount = amount.Minor, ProductName = "Phone payment" });
        var session = new PhoneSession(payment.Id, reference, created.SessionGuid, created.ProviderSessionGuid, created.IframeUrl,
            actor.Name, amount.Minor, currency.Code, string.Join(' ', new[] { first, last }.Where(n => n is not null)), email,
            actor.Id, actor.Name, now);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Add(payment);
        db.Add(session);
        audit.Record(db, actor, "phone-payment.started", "phone-session", session.Id, paymentId: payment.Id,
            after: new { reference, session.SessionGuid }, amountAfter: amount.Minor, currency: currency.Code);
        await db.SaveChangesAsync(cancellationToken);
        return session;
    }

    private static string? Clean(string? value, string what, int max = 100)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var trimmed = value.Trim();
        return trimmed.Length <= max ? trimmed : throw new DomainException($"The {what} is longer than {max} characters.");
    }
}
