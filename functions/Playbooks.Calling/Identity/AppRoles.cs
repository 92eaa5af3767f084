namespace Playbooks.Calling.Identity;

/// <summary>The app roles defined on the Entra ID app registration.</summary>
public static class AppRoles
{
    public const string Rep = "Rep";
    public const string Manager = "Manager";
    public const string Admin = "Admin";
    public const string Support = "Support";

    public static readonly IReadOnlyList<string> All = [Rep, Manager, Admin, Support];
}
