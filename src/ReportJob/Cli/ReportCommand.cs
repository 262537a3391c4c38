using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ReportJob.Reports;

namespace ReportJob.Cli;

internal static class ReportCommand
{
    public static Command CreateReport()
    {
        var date = DayOption.Create("The day to render; default: yesterday in Reports:TimeZone");
        var noMail = new Option<bool>("--no-mail") { Description = "Render the HTML report and the workbook, send no e-mail." };
        var command = new Command("report", "Render a day's HTML report and Excel workbook into Reports:OutputPath, then e-mail them.") { date, noMail };
        command.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var runner = services.GetRequiredService<DailyReportRunner>();
            var day = DayOption.Parse(parse.GetValue(date)) ?? runner.Yesterday();
            var result = await runner.RunAsync(day, !parse.GetValue(noMail), token);
            Console.WriteLine($"report:   {result.HtmlPath}");
            Console.WriteLine($"workbook: {result.WorkbookPath}");
            Console.WriteLine($"mail:     {result.MailDelivery ?? "not sent"}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command CreateMail()
    {
        var date = DayOption.Create("The day whose report to e-mail again");
        date.Required = true;
        var command = new Command("mail", "E-mail a day's report again (the report must exist).") { date };
        command.SetAction((parse, ct) => CliRunner.RunAsync(parse, ct, async (services, token) =>
        {
            var delivery = await services.GetRequiredService<DailyReportRunner>().MailAsync(DayOption.Parse(parse.GetValue(date))!.Value, token);
            Console.WriteLine($"mail: {delivery}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
