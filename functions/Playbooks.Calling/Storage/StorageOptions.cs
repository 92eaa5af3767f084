using System.ComponentModel.DataAnnotations;

namespace Playbooks.Calling.Storage;

/// <summary>
/// Where tables, queues and blobs live. In Azure: service URIs and a managed identity (no keys).
/// Locally: a connection string (Azurite).
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary>The blob service holding the reps' voicemail greetings (container "greetings").</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity; empty uses the default credential chain.</summary>
    public string? ClientId { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && TableServiceUri is null)
        {
            yield return new ValidationResult(
                "Set Storage:ConnectionString (local) or Storage:TableServiceUri (Azure, identity-based).",
                [nameof(ConnectionString), nameof(TableServiceUri)]);
        }

        if (string.IsNullOrWhiteSpace(ConnectionString) && BlobServiceUri is null)
        {
            yield return new ValidationResult(
                "Set Storage:BlobServiceUri (Azure, identity-based) for the voicemail greetings, or Storage:ConnectionString (local).",
                [nameof(BlobServiceUri)]);
        }
    }
}
