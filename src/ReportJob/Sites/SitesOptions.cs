using System.ComponentModel.DataAnnotations;

namespace ReportJob.Sites;

public sealed class SitesOptions : IValidatableObject
{
    public const string Section = "Sites";

    /// <summary>
    /// Optional subnet → site CSV (<c>subnet,site</c>, or the companion script's columns). When set, it is imported
    /// into the store whenever its content changes; otherwise the store keeps what <c>reportjob sites import FILE</c>
    /// put there.
    /// </summary>
    public string? SubnetFile { get; set; }

    /// <summary>Active Directory Sites and Services over LDAP; the file's subnets win over AD's for the same subnet.</summary>
    public LdapOptions Ldap { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(Ldap, new ValidationContext(Ldap), results, validateAllProperties: true);
        foreach (var r in results)
        {
            yield return new ValidationResult($"Sites:Ldap:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}", r.MemberNames);
        }

        if (Ldap.Enabled && string.IsNullOrWhiteSpace(Ldap.UserName) && !OperatingSystem.IsWindows())
        {
            yield return new ValidationResult("Sites:Ldap:UserName is required off Windows (a simple bind; the password comes from the variable named by Sites:Ldap:PasswordVariable)", [nameof(Ldap)]);
        }
    }
}
