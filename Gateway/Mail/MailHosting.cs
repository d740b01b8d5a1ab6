namespace TourPlanner.Gateway.Mail;

public static class MailHosting
{
    /// <summary>
    /// Mail settings (checked at start-up), the writer, the SMTP transport and the sender. The sender runs in every
    /// Gateway and sends only while it holds the cluster's lease, and only when both <c>Mail:SmtpHost</c>/<c>Mail:From</c>
    /// and <c>Gateway:PublicBaseUrl</c> are set.
    /// </summary>
    public static WebApplicationBuilder AddTourPlannerMail(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(MailSettings.Read(builder.Configuration));
        builder.Services.AddSingleton(builder.Configuration.GetSection("RateLimits").Get<LinkRequestLimits>() ?? new LinkRequestLimits());
        builder.Services.AddSingleton<LinkRequests>();
        builder.Services.AddSingleton<MailComposer>();
        builder.Services.AddSingleton<SmtpTransport>();
        builder.Services.AddHostedService<MailSender>();
        return builder;
    }
}
