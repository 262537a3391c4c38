namespace ReportJob.NetFlow;

/// <summary>
/// How far the ingest of one capture is: bytes of the file read (the reader's position, a buffer ahead of the
/// decoding), of its size, and flow records counted. Reported a few times a second while the file is decoded, and once
/// when it has been read to the end (<see cref="BytesRead"/> = <see cref="Bytes"/>).
/// </summary>
public readonly record struct IngestProgress(string File, int FileNumber, int FileCount, long BytesRead, long Bytes, long Records);
