-- Security level 4's default description said 泄漏 where levels 1–3 say
-- 泄露 (0002). Corrected only where it is still the seeded text: a
-- description an operator wrote (catalog.SetSecurityLevel) stays as written.
-- updated_at is left alone: it tells when an operator last changed the level.
UPDATE catalog_security_levels
SET description = '数据泄露后会对个人人身安全、法人正常运作或国家机关正常运作导致非常严重损害。'
WHERE level = 4 AND description = '数据泄漏后会对个人人身安全、法人正常运作或国家机关正常运作导致非常严重损害。';
