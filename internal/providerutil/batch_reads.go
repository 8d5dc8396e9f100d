package providerutil

// BatchReadsDescription is the MarkdownDescription of the providers' batch_reads argument:
// listCall names the cloud's list call, extra (may be empty) adds what holds for that cloud only.
func BatchReadsDescription(listCall, extra string) string {
	d := "Serve the refresh of many projects from the API's list call (`" + listCall + "`): once a plan has read " +
		"enough projects one by one to pay for listing the account (at least 10, and at least as many as the " +
		"list has pages), the rest are read from one listing of all pages, fetched once and shared. A project " +
		"missing from the list, or written by this Terraform run, is still read by itself, so the result is the " +
		"same as without it. Defaults to `true`. Turn it off when the credentials may read projects but not list " +
		"them (each run then wastes one list call), or when the cloud's list is known to lag behind its reads."
	if extra != "" {
		d += " " + extra
	}
	return d
}
