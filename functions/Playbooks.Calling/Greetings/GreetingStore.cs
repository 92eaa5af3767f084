using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Playbooks.Calling.Greetings;

/// <summary>A rep's voicemail greeting: what they called it, its format and length.</summary>
public sealed record Greeting(string Id, string Name, string Format, double DurationSeconds, long SizeBytes, DateTimeOffset CreatedAt);

/// <summary>A greeting's audio, opened for reading; dispose it when done.</summary>
public sealed record GreetingMedia(Stream Content, string ContentType, long? Length) : IDisposable
{
    public void Dispose() => Content.Dispose();
}

/// <summary>
/// Greetings in the private blob container <see cref="ContainerName"/>, one blob each under <c>{org}/{user}/{id}</c>, with
/// the name, format, length and creation time as blob metadata. Every read goes through the caller's own prefix, so
/// nobody reaches another rep's or org's greeting by its id.
/// </summary>
public class GreetingStore(BlobContainerClient container)
{
    public const string ContainerName = "greetings";

    /// <summary>The container, private (no public access level), created when missing.</summary>
    public virtual Task CreateContainerIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);

    public virtual async Task<IReadOnlyList<Greeting>> ListAsync(string orgId, string userId, CancellationToken cancellationToken = default)
    {
        var prefix = Prefix(orgId, userId);
        var found = new List<Greeting>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken))
        {
            if (ToGreeting(blob.Name[prefix.Length..], blob.Metadata, blob.Properties.ContentLength ?? 0) is { } greeting)
            {
                found.Add(greeting);
            }
        }

        return found.OrderBy(g => g.CreatedAt).ThenBy(g => g.Id, StringComparer.Ordinal).ToList();
    }

    public virtual async Task<Greeting?> GetAsync(string orgId, string userId, string greetingId, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormedId(greetingId))
        {
            return null;
        }

        try
        {
            var properties = await Blob(orgId, userId, greetingId).GetPropertiesAsync(cancellationToken: cancellationToken);
            return ToGreeting(greetingId, properties.Value.Metadata, properties.Value.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public virtual async Task AddAsync(string orgId, string userId, Greeting greeting, string contentType, BinaryData audio, CancellationToken cancellationToken = default)
    {
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            Metadata = new Dictionary<string, string>
            {
                ["name"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(greeting.Name)),
                ["format"] = greeting.Format,
                ["duration"] = greeting.DurationSeconds.ToString("R", CultureInfo.InvariantCulture),
                ["created"] = greeting.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        await Blob(orgId, userId, greeting.Id).UploadAsync(audio, options, cancellationToken);
    }

    /// <summary>False when there was no such greeting.</summary>
    public virtual async Task<bool> DeleteAsync(string orgId, string userId, string greetingId, CancellationToken cancellationToken = default) =>
        IsWellFormedId(greetingId)
        && (await Blob(orgId, userId, greetingId).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).Value;

    /// <summary>The greeting's audio, or null when there is no such greeting.</summary>
    public virtual async Task<GreetingMedia?> OpenAsync(string orgId, string userId, string greetingId, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormedId(greetingId))
        {
            return null;
        }

        try
        {
            var download = await Blob(orgId, userId, greetingId).DownloadStreamingAsync(cancellationToken: cancellationToken);
            var details = download.Value.Details;
            return new GreetingMedia(download.Value.Content, details.ContentType ?? "application/octet-stream", details.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Greeting ids are 32 lower-case hex characters; anything else is no greeting of ours.</summary>
    public static bool IsWellFormedId(string? greetingId) =>
        greetingId is { Length: 32 } && greetingId.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    public static string NewId() => Guid.NewGuid().ToString("N");

    private BlobClient Blob(string orgId, string userId, string greetingId) => container.GetBlobClient(Prefix(orgId, userId) + greetingId);

    // Org and user ids are escaped so neither can reach into another's prefix with a slash.
    private static string Prefix(string orgId, string userId) => $"{Uri.EscapeDataString(orgId)}/{Uri.EscapeDataString(userId)}/";

    private static Greeting? ToGreeting(string id, IDictionary<string, string> metadata, long size)
    {
        if (!IsWellFormedId(id)
            || !metadata.TryGetValue("name", out var name)
            || !metadata.TryGetValue("format", out var format)
            || !metadata.TryGetValue("duration", out var duration)
            || !metadata.TryGetValue("created", out var created))
        {
            return null;
        }

        try
        {
            return new Greeting(
                id,
                Encoding.UTF8.GetString(Convert.FromBase64String(name)),
                format,
                double.Parse(duration, CultureInfo.InvariantCulture),
                size,
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(created, CultureInfo.InvariantCulture)));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
