package catalogio

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/text"
)

// Limits of a workbook's parts, checked (checkWorkbook) before excelize
// unpacks any: an XLSX file is a zip archive, and a part that deflates a
// thousandfold costs the server what it holds unpacked, not what was
// uploaded. A 290 KB workbook whose shared strings were 7,000,000 times
// <si><t>a</t></si> (119 MB) took 2.5 GB and a minute to be refused.
// The limits derive from what a catalog workbook holds at most, maxRows
// rows of the layout's columns, generously, each rounded up to whole MiB
// so that the refusal says it exactly (text.Size):
const (
	mib = 1 << 20
	// sheetRowXML is the XML of one row of a sheet as our export writes it
	// (texts inline): the layout's 30 columns with 1,300 CJK characters
	// of text between them.
	sheetRowXML = 4 << 10
	// maxSheetXML bounds a worksheet excelize streams (isStreamedSheet):
	// maxRows rows and the header. Such a sheet over maxPartInMemory is
	// read row by row from a temporary file, never whole.
	// (200,001 rows of 4 KiB: 782 MiB.)
	maxSheetXML = ((maxRows+1)*sheetRowXML + mib - 1) / mib * mib
	// rowTexts is how many distinct texts of its own a row holds at most:
	// an entry's name, code, abstract and conditions, an item's name and
	// description; the other cells are labels every row shares.
	rowTexts = 8
	// maxSharedStrings bounds the shared strings' count, which excelize
	// holds in memory at some 350 bytes each.
	maxSharedStrings = maxRows * rowTexts
	// maxSharedStringsXML bounds their XML: 1,280 bytes (400 CJK
	// characters) of distinct text a row: 245 MiB.
	maxSharedStringsXML = (maxRows*1280 + mib - 1) / mib * mib
	// maxOtherPart bounds every other part (styles, relationships, the
	// workbook, themes, pictures, and a part under xl/worksheets/ whose
	// name does not start with "sheet"), which excelize reads whole: a
	// workbook's are kilobytes, its pictures a few megabytes.
	maxOtherPart = 16 * mib
	// maxPartInMemory is the largest part excelize keeps in memory; a
	// bigger shared strings part or streamed sheet goes to a temporary
	// file.
	maxPartInMemory = 16 * mib
	// maxInMemory bounds the parts excelize holds in memory together
	// (inMemory): each is at most maxOtherPart, but twenty pictures of
	// 15 MB, 303 KB packed, had it hold 900 MB.
	maxInMemory = 4 * maxOtherPart
	// maxWorkbookXML bounds the parts together: two sheets, the shared
	// strings and those in memory: 1,873 MiB.
	maxWorkbookXML = 2*maxSheetXML + maxSharedStringsXML + maxInMemory
	// maxColumn is the last column (IV) a cell with content may be in,
	// in a sheet the import reads (tooWide): the layout has 30 columns, a
	// foreign workbook some more the import ignores, and 256 is the width
	// of the old .xls format. excelize returns a row as a slice as long
	// as its last filled column, so a cell in XFD, the last column Excel
	// has, costs 16,384 cells: a 6.9 KB workbook of 1,000 rows of one
	// cell each in XFD took 420 MB.
	maxColumn = 256
)

// sharedStringsPart is where excelize reads a workbook's shared strings
// (the part's name lowercased, backslashes made slashes, nothing else).
const sharedStringsPart = "xl/sharedstrings.xml"

// isStreamedSheet tells whether excelize (v2.10.1, ReadZipReader in
// lib.go) reads the part of name lowered (lowercased,
// backslashes made slashes) as a worksheet it may unpack to a temporary
// file: any whose name starts with xl/worksheets/sheet, whatever follows.
// Every other part, xl/worksheets/a.xml or /xl/worksheets/sheet1.xml
// among them, it reads whole into memory.
func isStreamedSheet(lowered string, zf *zip.File) bool {
	return strings.HasPrefix(lowered, "xl/worksheets/sheet") && !zf.FileInfo().IsDir()
}

// inMemory tells whether excelize holds the part of name lowered and its
// size whole in memory: all but the shared strings and the streamed
// sheets over maxPartInMemory, which go to temporary files. Pictures
// (xl/media) are no exception: excelize has no option to leave a part
// unread.
func inMemory(lowered string, zf *zip.File) bool {
	if zf.UncompressedSize64 <= maxPartInMemory {
		return true
	}
	return lowered != sharedStringsPart && !isStreamedSheet(lowered, zf)
}

// tooLarge is the error of a workbook with a part beyond the limits.
func tooLarge(what string) error {
	return errs.Field("file", "workbook_too_large", "工作簿过大："+what+
		"，远超数据资源目录工作簿的规模（至多 "+fmt.Sprint(maxRows)+" 行）；请检查文件是否为目录工作簿，或在 Excel、WPS 中另存后再导入")
}

// checkWorkbook refuses (workbook_too_large) a workbook one of whose parts
// unpacks beyond its limit, by the sizes the archive declares (archive/zip,
// which excelize reads with too, fails on a part longer than declared),
// and one whose shared strings are more than maxSharedStrings, counted
// while streaming them. It reads nothing else: a file that is no zip
// archive is openWorkbook's to refuse.
func checkWorkbook(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	var total, held uint64
	var sst *zip.File
	for _, zf := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/"))
		size := zf.UncompressedSize64
		total += size
		limit := uint64(maxOtherPart)
		switch {
		case name == sharedStringsPart:
			limit, sst = maxSharedStringsXML, zf
		case isStreamedSheet(name, zf):
			limit = maxSheetXML
		}
		if size > limit {
			return tooLarge(fmt.Sprintf("其中的“%s”解压后 %s，超过 %s 上限", zf.Name, text.Size(int64(size)), text.Size(int64(limit))))
		}
		if total > maxWorkbookXML {
			return tooLarge("解压后超过 " + text.Size(maxWorkbookXML) + " 上限")
		}
		if inMemory(name, zf) {
			held += size
			if held > maxInMemory {
				return tooLarge(fmt.Sprintf("需整体读入内存的部分（至“%s”）解压后共 %s，超过 %s 上限",
					zf.Name, text.Size(int64(held)), text.Size(maxInMemory)))
			}
		}
	}
	if sst == nil {
		return nil
	}
	rc, err := sst.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	if n, _ := countElements(rc, "si", maxSharedStrings); n > maxSharedStrings {
		return tooLarge(fmt.Sprintf("共享字符串超过 %d 个上限", maxSharedStrings))
	}
	return nil
}

// countElements counts the start tags of local name name (with or without
// a namespace prefix) in the XML r holds, stopping once it has counted
// more than limit. A read error ends the count: excelize reports it when
// it reads the part.
func countElements(r io.Reader, name string, limit int) (int, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	n := 0
	for n <= limit {
		if _, err := br.ReadSlice('<'); err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return n, err
		}
		tag, err := br.Peek(256)
		if err != nil && len(tag) == 0 {
			return n, nil
		}
		end := bytes.IndexAny(tag, " \t\r\n/>")
		if end < 0 {
			continue
		}
		local := tag[:end]
		if i := bytes.LastIndexByte(local, ':'); i >= 0 {
			local = local[i+1:]
		}
		if string(local) == name {
			n++
		}
	}
	return n, nil
}
