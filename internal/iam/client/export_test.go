package client

// SetListPageSize lets tests page through a few projects; it returns a function restoring it.
func SetListPageSize(n int) func() {
	old := listPageSize
	listPageSize = n
	return func() { listPageSize = old }
}
