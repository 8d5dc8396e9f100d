package client

import "slices"

// Regions are the region ids TRRO's API reference lists in its request structure
// (https://www.tencentcloud.com/document/api/1252/68088, "Tencent Cloud currently supports the
// following regions"). TRRO publishes no list of its own: that page carries Tencent Cloud's
// common API 3.0 region table, so this is that table, financial zones included. A region outside
// it is answered with the common error UnsupportedRegion.
var Regions = []string{
	"ap-bangkok",
	"ap-beijing",
	"ap-beijing-fsi",
	"ap-chengdu",
	"ap-chongqing",
	"ap-guangzhou",
	"ap-hongkong",
	"ap-jakarta",
	"ap-mumbai",
	"ap-nanjing",
	"ap-seoul",
	"ap-shanghai",
	"ap-shanghai-fsi",
	"ap-shenzhen-fsi",
	"ap-singapore",
	"ap-tokyo",
	"eu-frankfurt",
	"na-ashburn",
	"na-siliconvalley",
	"na-toronto",
	"sa-saopaulo",
}

// KnownRegion reports whether region is in Regions.
func KnownRegion(region string) bool { return slices.Contains(Regions, region) }
