namespace Playbooks.Calling.Teams;

/// <summary>What an admin sets on a team: its name and the people who manage it.</summary>
public sealed record TeamInput(string? Name, IReadOnlyList<string> ManagerUserIds);
