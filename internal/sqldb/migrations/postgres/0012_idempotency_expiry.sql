-- Responses kept for an Idempotency-Key are replayed for 24 hours, then
-- deleted (internal/api/idempotency.go); the index finds the expired ones.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Until now the response of POST /api/v1/apps was kept whole, with the new
-- app's API key in plaintext, though keys are stored only as hashes: keep
-- it as it is now kept, without the key.
UPDATE idempotency_keys SET body = ((body::jsonb - 'api_key') || jsonb_build_object(
	'api_key_withheld', true,
	'notice', '重复请求：应用已由首次请求创建，API 密钥只在首次响应中显示，不再重放。如未保存密钥，请轮换密钥（POST /api/v1/apps/'
		|| (body::jsonb -> 'app' ->> 'id') || '/rotate）'))::text || chr(10)
WHERE body LIKE '%"api_key":"htk_%';
