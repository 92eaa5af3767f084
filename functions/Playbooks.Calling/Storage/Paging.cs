using System.Buffers.Text;
using System.Text;

namespace Playbooks.Calling.Storage;

/// <summary>One page of a list: how many items, and where the previous page stopped (null for the first page).</summary>
public sealed record PageRequest(int PageSize = PageRequest.DefaultPageSize, string? ContinuationToken = null)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static PageRequest First { get; } = new();
}

/// <summary>A page of items; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>Continuation tokens are the opaque (base64url) RowKey of the last item returned, so a page never skips or repeats a row.</summary>
public static class ContinuationTokens
{
    public static string Encode(string rowKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(rowKey));

    public static bool TryDecode(string? token, out string? rowKey)
    {
        rowKey = null;
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }
        try
        {
            rowKey = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            // Only keys storage could hold: a control character would make the query itself fail.
            return TableKeys.IsValid(rowKey);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The refusal for a page request the API cannot serve, or null when it is fine.</summary>
    public static Failure? Validate(PageRequest page)
    {
        if (page.PageSize is < 1 or > PageRequest.MaxPageSize)
        {
            return Failure.Invalid("pageSize", $"pageSize must be between 1 and {PageRequest.MaxPageSize}.");
        }
        return TryDecode(page.ContinuationToken, out _)
            ? null
            : Failure.Invalid("continuationToken", "continuationToken is not one this API returned.");
    }
}
