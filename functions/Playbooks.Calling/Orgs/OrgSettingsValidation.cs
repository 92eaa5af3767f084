using Playbooks.Calling.Recordings;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Orgs;

/// <summary>Applies a patch to org settings, refusing the first invalid field by name.</summary>
public static class OrgSettingsValidation
{
    private static readonly string[] Codecs = ["pcmu", "opus"];

    public static Result<OrgSettings> Apply(OrgSettings org, OrgSettingsPatch patch)
    {
        var next = org;
        if (patch.Name is not null)
        {
            var name = Validation.Name("name", patch.Name);
            if (name.Failure is { } f) return f;
            next = next with { Name = name.Value! };
        }
        if (patch.DefaultCallingPreference is not null)
        {
            if (!CallingMethodNames.TryParse(patch.DefaultCallingPreference, out var method))
            {
                return Failure.Invalid("defaultCallingPreference", "defaultCallingPreference must be 'computer' or 'phone'.", "unknown-calling-preference");
            }
            next = next with { DefaultCallingPreference = method };
        }
        if (patch.DefaultPermissionGroupId is not null)
        {
            next = next with { DefaultPermissionGroupId = string.IsNullOrWhiteSpace(patch.DefaultPermissionGroupId) ? null : patch.DefaultPermissionGroupId.Trim() };
        }
        if (patch.Recording is not null)
        {
            if (!RecordingModes.TryParse(patch.Recording, out var mode))
            {
                return Failure.Invalid("recording", "recording must be 'off', 'record-from-answer' or 'dual-channel'.");
            }
            next = next with { Recording = mode };
        }
        if (patch.Edges is not null)
        {
            var edges = Edges(patch.Edges);
            if (edges.Failure is { } f) return f;
            next = next with { Edges = edges.Value! };
        }
        if (patch.CodecPreferences is not null)
        {
            var codecs = CodecPreferences(patch.CodecPreferences);
            if (codecs.Failure is { } f) return f;
            next = next with { CodecPreferences = codecs.Value! };
        }
        if (patch.CallerId is not null)
        {
            if (patch.CallerId.Length == 0)
            {
                next = next with { CallerId = null };
            }
            else
            {
                var callerId = Validation.PhoneNumber("callerId", patch.CallerId);
                if (callerId.Failure is { } f) return f;
                next = next with { CallerId = callerId.Value };
            }
        }
        if (patch.AllowedCountries is not null)
        {
            var countries = AllowedCountries(patch.AllowedCountries);
            if (countries.Failure is { } f) return f;
            next = next with { AllowedCountries = countries.Value! };
        }
        if (patch.MaxCallMinutes is { } maxCallMinutes)
        {
            if (maxCallMinutes is < OrgSettings.MinMaxCallMinutes or > OrgSettings.MaxMaxCallMinutes)
            {
                return Failure.Invalid("maxCallMinutes",
                    $"maxCallMinutes must be between {OrgSettings.MinMaxCallMinutes} and {OrgSettings.MaxMaxCallMinutes}.");
            }
            next = next with { MaxCallMinutes = maxCallMinutes };
        }
        if (patch.RecordingJurisdictions is not null)
        {
            var jurisdictions = RecordingDisclosure.ValidateJurisdictions(patch.RecordingJurisdictions);
            if (jurisdictions.Failure is { } f) return f;
            next = next with { RecordingJurisdictions = jurisdictions.Value! };
        }
        if (patch.DisclosureText is not null)
        {
            var text = RecordingDisclosure.ValidateText(patch.DisclosureText);
            if (text.Failure is { } f) return f;
            next = next with { DisclosureText = text.Value };
        }
        if (patch.DisclosureAudioUrl is not null)
        {
            var url = RecordingDisclosure.ValidateAudioUrl(patch.DisclosureAudioUrl);
            if (url.Failure is { } f) return f;
            next = next with { DisclosureAudioUrl = url.Value };
        }
        if (patch.LocalPresence is { } localPresence)
        {
            next = next with { LocalPresence = localPresence };
        }
        return next;
    }

    public static Result<IReadOnlyList<string>> Edges(IReadOnlyList<string> edges)
    {
        var list = edges.Select(e => e?.Trim().ToLowerInvariant() ?? "").ToList();
        if (list.Count == 0)
        {
            return Failure.Invalid("edges", "edges must list at least one Twilio edge, e.g. ['roaming'].");
        }
        if (list.FirstOrDefault(e => !TwilioEdges.All.Contains(e)) is { } unknown)
        {
            return Failure.Invalid("edges", $"'{unknown}' is not a Twilio edge. Use one of: {string.Join(", ", TwilioEdges.All)}.", "unknown-edge");
        }
        if (list.Distinct().Count() != list.Count)
        {
            return Failure.Invalid("edges", "edges must not repeat an edge.");
        }
        return list;
    }

    public static Result<IReadOnlyList<string>> CodecPreferences(IReadOnlyList<string> codecs)
    {
        var list = codecs.Select(c => c?.Trim().ToLowerInvariant() ?? "").ToList();
        if (list.Count == 0 || list.Any(c => !Codecs.Contains(c)) || list.Distinct().Count() != list.Count)
        {
            return Failure.Invalid("codecPreferences", "codecPreferences must list 'pcmu' and optionally 'opus', each once.");
        }
        if (list[0] != "pcmu")
        {
            return Failure.Invalid("codecPreferences", "codecPreferences must put 'pcmu' (G.711) first.", "pcmu-must-be-first");
        }
        return list;
    }

    public static Result<IReadOnlyList<string>> AllowedCountries(IReadOnlyList<string> countries)
    {
        var list = countries.Select(c => c?.Trim().ToUpperInvariant() ?? "").Distinct().ToList();
        if (list.Count == 0)
        {
            return Failure.Invalid("allowedCountries", "allowedCountries must list at least one ISO 3166 alpha-2 country code.");
        }
        if (list.FirstOrDefault(c => !Validation.SupportedRegions.Contains(c)) is { } unknown)
        {
            return Failure.Invalid("allowedCountries", $"'{unknown}' is not a country code phone numbers can be validated for.", "unknown-country");
        }
        return list;
    }
}
