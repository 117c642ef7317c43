package audit

import (
	"sync/atomic"

	"github.com/hutong-gov/hutong/internal/errs"
)

// CrossSite marks an actor (Actor.CrossSite) whose request its browser
// made at another site's bidding: a staff session's cookie sent along
// with a link followed from another site (Sec-Fetch-Site cross-site or
// same-site). Such a request is not the actor's deliberate act: a row
// in its name — a read of personal data under a purpose the link chose —
// would be forged. No row naming it is written (refuseCrossSite), and what
// would have been recorded is not done: every audited read writes its
// row before it serves anything. Refused reports whether a row was
// refused, for the console to offer the same page from its own (a
// same-origin request).
type CrossSite struct{ refused atomic.Bool }

// Refused reports whether a row naming the actor was refused.
func (c *CrossSite) Refused() bool { return c != nil && c.refused.Load() }

// CrossSiteCode is the code of the refusal of a row naming a cross-site
// actor (403).
const CrossSiteCode = "cross_site_read"

// refuseCrossSite refuses evs when one names a cross-site actor, before
// any is written (a Forbidden error of code CrossSiteCode), and marks it
// refused.
func refuseCrossSite(evs []Event) error {
	for _, ev := range evs {
		if c := ev.Actor.CrossSite; c != nil {
			c.refused.Store(true)
			return errs.E(errs.Forbidden, CrossSiteCode,
				"该请求由其他网站发起，不能以您的名义读取需记录审计的数据：请在本平台的页面中打开；系统调用请使用 API 密钥")
		}
	}
	return nil
}
