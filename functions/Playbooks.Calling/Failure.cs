namespace Playbooks.Calling;

/// <summary>What kind of refusal a failure is; the HTTP layer maps each kind to one status code.</summary>
public enum FailureKind
{
    Invalid,
    Forbidden,
    NotFound,
    Conflict,
    PreconditionFailed,
    RateLimited,
    Unavailable,
}

/// <summary>A refusal the caller can act on: a stable machine code, a sentence for people, and the field at fault.</summary>
public sealed record Failure(FailureKind Kind, string Code, string Detail)
{
    public string? Field { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public static Failure Invalid(string field, string detail, string code = "invalid-field") =>
        new(FailureKind.Invalid, code, detail) { Field = field };

    public static Failure NotFound(string what) =>
        new(FailureKind.NotFound, "not-found", $"{what} was not found.");

    public static Failure Forbidden(string code, string detail) => new(FailureKind.Forbidden, code, detail);

    public static Failure Conflict(string code, string detail) => new(FailureKind.Conflict, code, detail);

    public static Failure StaleEdit(string what) =>
        new(FailureKind.PreconditionFailed, "stale-edit",
            $"{what} was changed by someone else since you loaded it. Reload it and apply your change again.");
}

/// <summary>Either a value or a <see cref="Failure"/>.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    public bool IsSuccess => Failure is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Failure failure) => new(default, failure);
}
