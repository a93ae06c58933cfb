namespace Portal.Domain.Payments;

/// <summary>Status of the payment as a whole; changes only through <see cref="PaymentStatusTransitions"/>.</summary>
public enum PaymentStatus
{
    Requested,
    Paid,
    Confirmed,
    Refunded,
    Cancelled,
    Voided,
    Expired,
}

/// <summary>Status of one gateway attempt; changes only through <see cref="TransactionStatusTransitions"/>.</summary>
public enum TransactionStatus
{
    Requested,
    Paid,
    Confirmed,
    Refunded,
    RefundedPartially,
    Cancelled,
    Failed,
    Voided,
    Expired,
    Reversed,
    ImpossibleRefund,
    NextAction,
}

/// <summary>What happened to a status change a gateway reported.</summary>
public enum StatusChangeOutcome
{
    /// <summary>Allowed by the table and applied.</summary>
    Applied,

    /// <summary>Already in that status: a repeated report (poll, webhook replay) changes nothing and records nothing.</summary>
    Unchanged,

    /// <summary>Not allowed by the table: recorded in the history as not applied, for a person to look at.</summary>
    Refused,
}
