using ReportJob.Cli;

return await CliApp.RunAsync(args);
