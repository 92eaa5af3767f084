using System.ComponentModel.DataAnnotations;

namespace Playbooks.Calling.Storage;

/// <summary>How long an instance may reuse an org, permission group, person or caller-ID row it read.</summary>
public sealed class DirectoryCacheOptions
{
    public const string Section = "DirectoryCache";

    /// <summary>At most 5 s: a permission change must apply on every instance within that. Zero turns the cache off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05", ErrorMessage = "DirectoryCache:TimeToLive must be between 00:00:00 and 00:00:05.")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromSeconds(5);
}
