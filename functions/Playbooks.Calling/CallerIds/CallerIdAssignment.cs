namespace Playbooks.Calling.CallerIds;

/// <summary>A number of the Twilio account that Support gave to one org to call from.</summary>
public sealed record CallerIdAssignment(string PhoneNumber, string OrgId, DateTimeOffset AssignedAt, string AssignedBy);

/// <summary>The caller IDs one org holds.</summary>
public sealed record CallerIdList(string OrgId, IReadOnlyList<CallerIdAssignment> Items);
