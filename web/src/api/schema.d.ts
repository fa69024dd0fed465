// Generated from docs/openapi.json by `npm run console:api` (also run by `npm run openapi`). Do not edit.

export interface paths {
    "/api/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit trail, newest first (filters: actor_type, actor_id, action, target_type, target_id, from, to) */
        get: operations["AuditController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account (can be turned off with REGISTRATION_ENABLED=false) */
        post: operations["AuthController_register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchange email and password for a session JWT */
        post: operations["AuthController_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling user */
        get: operations["UsersController_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users (filters: q, email, role, status, plan) */
        get: operations["AdminUsersController_list"];
        put?: never;
        /** Create a user, with an initial password or a one-time setup link (shown once) */
        post: operations["AdminAccountsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a user's role, status or plan */
        patch: operations["AdminUsersController_update"];
        trace?: never;
    };
    "/api/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List your API keys (prefix only) */
        get: operations["TokensController_list"];
        put?: never;
        /** Create an API key (`sk-…`); the full key is in this response only */
        post: operations["TokensController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key; it answers 401 from then on */
        delete: operations["TokensController_revoke"];
        options?: never;
        head?: never;
        /** Set or remove the key's spending caps (credits per UTC day / month; null removes one) */
        patch: operations["TokensController_updateCaps"];
        trace?: never;
    };
    "/api/admin/users/{id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A user's API keys (prefix, scope, caps and spend, expiry, status) */
        get: operations["AdminTokensController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}/tokens/{token_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a user's API key (audited; revoking it again changes nothing) */
        delete: operations["AdminTokensController_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reset a user's password: a one-time link, or a generated password shown once */
        post: operations["AdminAccountsController_resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password-links/inspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Whose password a one-time link sets, and until when it works */
        post: operations["PasswordLinksController_inspect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/password-links/redeem": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set the password with a one-time link (works once) and log in */
        post: operations["PasswordLinksController_redeem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Change your password (current password required); every other session ends, this answer is a new one */
        post: operations["AccountController_changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/billing/balance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your credits: balance, held by running tasks, available, used */
        get: operations["BillingController_balance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/billing/ledger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your ledger: every top-up, hold, capture, release and adjustment, newest first */
        get: operations["BillingController_ledger"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/prices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The price table */
        get: operations["AdminBillingController_listPrices"];
        /** Replace the whole price table (a model left out can no longer be used) */
        put: operations["AdminBillingController_replacePrices"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}/credits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add or remove credits on a user's account, with a reason */
        post: operations["AdminBillingController_adjust"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/billing/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Check every account against its ledger; lists each mismatch */
        get: operations["AdminBillingController_reconciliationReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every model Reelay offers: provider, seconds, sizes, image reference, and each price */
        get: operations["CatalogController_models"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/billing/quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Price of one video (the same check and price as a submit) */
        post: operations["CatalogController_quote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/kling/v1/videos/text2video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Text to video
         * @description Quote, hold the price, submit to Kling; charged only if the video succeeds.
         */
        post: operations["KlingCompatibleController_text2video"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/kling/v1/videos/image2video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Image to video
         * @description Quote, hold the price, submit to Kling; charged only if the video succeeds.
         */
        post: operations["KlingCompatibleController_image2video"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/kling/v1/videos/multi-image2video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Several images to video
         * @description Quote, hold the price, submit to Kling; charged only if the video succeeds.
         */
        post: operations["KlingCompatibleController_multiImage2video"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/kling/v1/videos/omni-video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Omni video (references by <<<image_1>>> etc.)
         * @description Quote, hold the price, submit to Kling; charged only if the video succeeds.
         */
        post: operations["KlingCompatibleController_omniVideo"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/kling/v1/videos/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your task: status, and the video when it succeeded (refreshed from Kling when stale) */
        get: operations["KlingCompatibleController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/text2video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your text2video tasks made through Kling's protocol, newest first */
        get: operations["KlingNativeController_listText"];
        put?: never;
        /** Text to video (Kling's protocol: model_name, mode, callback_url, external_task_id) */
        post: operations["KlingNativeController_text2video"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/image2video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your image2video tasks made through Kling's protocol, newest first */
        get: operations["KlingNativeController_listImage"];
        put?: never;
        /** Image to video (Kling's protocol: model_name, mode, callback_url, external_task_id) */
        post: operations["KlingNativeController_image2video"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/multi-image2video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your multi-image2video tasks made through Kling's protocol, newest first */
        get: operations["KlingNativeController_listMulti"];
        put?: never;
        /** Several images to video (Kling's protocol: model_name, mode, callback_url, external_task_id) */
        post: operations["KlingNativeController_multi"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/omni-video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your omni-video tasks made through Kling's protocol, newest first */
        get: operations["KlingNativeController_listOmni"];
        put?: never;
        /** Omni video (Kling's protocol: model_name, mode, callback_url, external_task_id) */
        post: operations["KlingNativeController_omni"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/text2video/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One text2video task, by task_id or by your external_task_id (Kling's query shape) */
        get: operations["KlingNativeController_getText"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/image2video/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One image2video task, by task_id or by your external_task_id (Kling's query shape) */
        get: operations["KlingNativeController_getImage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/multi-image2video/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One multi-image2video task, by task_id or by your external_task_id (Kling's query shape) */
        get: operations["KlingNativeController_getMulti"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/omni-video/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One omni-video task, by task_id or by your external_task_id (Kling's query shape) */
        get: operations["KlingNativeController_getOmni"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your videos made through this API, newest first (cursor: after) */
        get: operations["OpenAiVideosController_list"];
        put?: never;
        /** Create a video (any catalog model); the price is held and charged only on success */
        post: operations["OpenAiVideosController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/{video_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One video (refreshed from the provider when stale) */
        get: operations["OpenAiVideosController_retrieve"];
        put?: never;
        post?: never;
        /** Delete a finished video and its stored files */
        delete: operations["OpenAiVideosController_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/{video_id}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The stored video file (Range, ETag); variant=video (the only one Reelay keeps) */
        get: operations["OpenAiVideosController_content"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/{video_id}/remix": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Not supported (remixing needs the provider to keep the source video) */
        post: operations["OpenAiVideosController_remix"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/edits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Not supported */
        post: operations["OpenAiVideosController_edits"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/extensions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Not supported */
        post: operations["OpenAiVideosController_extensions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/characters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Not supported */
        post: operations["OpenAiVideosController_createCharacter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos/characters/{character_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Not supported */
        get: operations["OpenAiVideosController_getCharacter"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The models Reelay offers, in OpenAI's list shape (details and prices: GET /api/models) */
        get: operations["OpenAiVideosController_modelList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/generate/video": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Generate a Veo video through VivaAPI (15 credits by default, charged only on success) */
        post: operations["VeoController_generate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/generate/video/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your generation task (refreshed from the upstream when stale) */
        get: operations["VeoController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/videos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your video tasks, newest first (filters: status, model, created_from, created_to) */
        get: operations["VideosController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/videos/{task_id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of your tasks, step by step: submitted, credits held, processing, the end, credits */
        get: operations["VideosController_timeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/videos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All video tasks (filters: user_id, channel_id, status, model, created_from, created_to) */
        get: operations["AdminVideosController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/videos/{task_id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Any task, step by step (with the channel it was sent to) */
        get: operations["AdminVideosController_timeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stats/videos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Task counts by status, and per day for the last 7 days */
        get: operations["AdminVideosController_stats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/videos/{task_id}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stream your stored copy of a finished video (supports Range, ETag) */
        get: operations["VideoContentController_content"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/media/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A stored video through a signed, expiring link (`store_url`); no credentials */
        get: operations["MediaLinkController_open"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/media/references/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An uploaded first-frame image, for the provider that fetches it (signed, expiring) */
        get: operations["ReferenceLinkController_open"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your endpoints */
        get: operations["WebhooksController_list"];
        put?: never;
        /** Add an endpoint; the signing secret (whsec_…) is in this response only */
        post: operations["WebhooksController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/callback-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The secret that signs your tasks’ callback_url calls (created on first use) */
        get: operations["WebhooksController_callbackSecret"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/callback-secret/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the callback secret (takes effect for the next attempt) */
        post: operations["WebhooksController_rotateCallbackSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{webhook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One endpoint (its secret is never shown again) */
        get: operations["WebhooksController_get"];
        put?: never;
        post?: never;
        /** Delete an endpoint (its pending deliveries fail) */
        delete: operations["WebhooksController_remove"];
        options?: never;
        head?: never;
        /** Change url, events, enabled or description */
        patch: operations["WebhooksController_update"];
        trace?: never;
    };
    "/api/webhooks/{webhook_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new signing secret, shown once */
        post: operations["WebhooksController_rotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{webhook_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queue a signed `webhook.test` event to this endpoint */
        post: operations["WebhooksController_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{webhook_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deliveries to this endpoint, newest first (status, attempts, last HTTP status, next attempt) */
        get: operations["WebhooksController_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/deliveries/{delivery_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again (same event id) */
        post: operations["WebhooksController_redeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/webhooks/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every user's webhook deliveries, newest first (filters: user_id, endpoint_id, status, event_type) */
        get: operations["WebhookAdminController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/webhooks/deliveries/{delivery_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again (same event id; audited). One already queued and untried stays as it is */
        post: operations["WebhookAdminController_redeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/packages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Credit packages on sale */
        get: operations["PaymentsController_packages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payments/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your orders */
        get: operations["PaymentsController_orders"];
        put?: never;
        /** Buy a package: an order and its Alipay page-pay URL */
        post: operations["PaymentsController_createOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payment/alipay/notify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Alipay's async notify (form-encoded, RSA2-signed); answers `success` or `fail` */
        post: operations["PaymentsController_alipayNotify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/packages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All packages */
        get: operations["AdminPaymentsController_list"];
        put?: never;
        /** Add a package */
        post: operations["AdminPaymentsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/packages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a package (orders already made keep their price) */
        patch: operations["AdminPaymentsController_update"];
        trace?: never;
    };
    "/api/admin/payments/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All orders (filters: user_id, status, created_from, created_to) */
        get: operations["AdminPaymentsController_orders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/batch-generate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Generate many videos (Sora 2 via KIE) under your plan’s concurrency; quoted and held up front */
        post: operations["BatchController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your batches */
        get: operations["BatchController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/batches/{batch_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Progress: counts per status, items with task and video URL, fast lane, ETA */
        get: operations["BatchController_detail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/batches/{batch_id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A ZIP of the batch’s stored videos ({idx}-{slug}.mp4) and manifest.csv; streamed, usable while the batch runs */
        get: operations["BatchController_download"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/batches/{batch_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events: every status change of the batch and its items (resumable by Last-Event-ID) */
        get: operations["BatchController_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/batches/{batch_id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop dispatching new items (running ones finish) */
        post: operations["BatchController_pause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/batches/{batch_id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Dispatch again */
        post: operations["BatchController_resume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/batches/{batch_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel: items not yet submitted are cancelled and their holds released */
        post: operations["BatchController_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/batch/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Plan limits and batch engine tuning: defaults, overrides, values in force */
        get: operations["BatchAdminController_view"];
        /** Replace the overrides (every replica uses them within a second) */
        put: operations["BatchAdminController_replace"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every user's batches, newest first (filters: user_id, status) */
        get: operations["AdminBatchesController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/batches/{batch_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One batch: its owner's view, its owner, and the timeline of its status changes */
        get: operations["AdminBatchesController_detail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflow/limits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your plan’s batch limits in force now: rows per batch and videos at once */
        get: operations["BatchLimitsController_limits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/quotas/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your provider quotas: bought, used, remaining, percent */
        get: operations["QuotasController_mine"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/quotas/me/api-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Enterprise: a Reelay API key that can only generate and read videos */
        post: operations["QuotasController_issueKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}/quotas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Give a user a dedicated upstream key (encrypted; used instead of the channel's) */
        put: operations["AdminQuotasController_setKey"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Quota alerts, newest first */
        get: operations["AdminQuotasController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/alerts/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check the quota thresholds now (the daily job does the same) */
        post: operations["AdminQuotasController_run"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stats/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tasks in a range: counts and quota/credit sums by status, success rate, how tasks ended (callback, poll, refresh, timeout, submit), a series */
        get: operations["StatsController_overview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stats/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per model: counts, success rate, credits charged, completion time p50/p95/average */
        get: operations["StatsController_models"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stats/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per user: tasks, successes and credits charged, most credits first */
        get: operations["StatsController_users"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stats/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per channel: tasks, error rate, and its auto-disable / re-enable history */
        get: operations["StatsController_channels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/stats/revenue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Paid orders in a range: count, amount, credits, per package and over time */
        get: operations["StatsController_revenue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and database readiness */
        get: operations["HealthController_check"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers HTTP (no dependency checked) */
        get: operations["HealthController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/kling/callback/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Kling's status callback (the URL Reelay injected, with its token) */
        post: operations["RelayCallbacksController_kling"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/kie/callback/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** KIE's completion callback (Reelay's URL token; KIE's HMAC headers when configured) */
        post: operations["RelayCallbacksController_kie"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List channels */
        get: operations["ChannelsController_list"];
        put?: never;
        /** Add an upstream channel (the key is encrypted and never shown again) */
        post: operations["ChannelsController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/channels/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One channel */
        get: operations["ChannelsController_get"];
        put?: never;
        post?: never;
        /** Delete a channel */
        delete: operations["ChannelsController_remove"];
        options?: never;
        head?: never;
        /** Change a channel; status enabled also clears an auto-disable */
        patch: operations["ChannelsController_update"];
        trace?: never;
    };
    "/api/admin/channels/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check the channel's key against the upstream (Kling: account costs) */
        post: operations["ChannelsController_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ErrorDetailDto: {
            /**
             * @description Stable machine-readable code
             * @example validation_failed
             */
            code: string;
            /** @example email: must be an email */
            message: string;
            /**
             * @description For validation failures, the list of fields that are wrong
             * @example [
             *       {
             *         "field": "email",
             *         "message": "must be an email"
             *       }
             *     ]
             */
            details: (Record<string, unknown>[] | Record<string, unknown>) | null;
        };
        ErrorBodyDto: {
            error: components["schemas"]["ErrorDetailDto"];
            /** @example b7c1e3f0-5d1e-4a55-9a61-0f4f1c2d9e7a */
            request_id: string;
        };
        AuditEntryDto: {
            /** @example 812 */
            id: number;
            /** @description Unix seconds */
            created_at: number;
            /**
             * @description user: a logged-in user; system: a job of Reelay's own; anonymous: a request without a session
             * @enum {string}
             */
            actor_type: "user" | "system" | "anonymous";
            actor_id: number | null;
            /** @description The user's email at the time, or the job's name */
            actor_label: string | null;
            /** @example channel.update */
            action: string;
            /** @example channel */
            target_type: string;
            /** @example 3 */
            target_id: string | null;
            /** @description The target before (secrets masked) */
            before: Record<string, unknown> | null;
            /** @description The target after, or what the action did (secrets masked) */
            after: Record<string, unknown> | null;
            ip: string | null;
            request_id: string | null;
        };
        AuditPage: {
            items: components["schemas"]["AuditEntryDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        RegisterDto: {
            /** @example dev@example.com */
            email: string;
            /** @example correct horse battery staple */
            password: string;
        };
        UserDto: {
            /** @example 7 */
            id: number;
            /** @example dev@example.com */
            email: string;
            /** @enum {string} */
            role: "admin" | "user";
            /** @enum {string} */
            status: "active" | "disabled";
            /** @enum {string} */
            plan: "free" | "pro" | "pro_plus" | "enterprise";
            /** @description Unix seconds */
            created_at: number;
            /** @description Unix seconds */
            updated_at: number;
        };
        SessionDto: {
            /** @description JWT to send as `Authorization: Bearer <token>` */
            access_token: string;
            /** @example Bearer */
            token_type: string;
            /**
             * @description Seconds until the token expires
             * @example 604800
             */
            expires_in: number;
            user: components["schemas"]["UserDto"];
        };
        LoginDto: {
            /** @example dev@example.com */
            email: string;
            /** @example correct horse battery staple */
            password: string;
        };
        UserPage: {
            items: components["schemas"]["UserDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        UpdateUserDto: {
            /** @enum {string} */
            role?: "admin" | "user";
            /** @enum {string} */
            status?: "active" | "disabled";
            /** @enum {string} */
            plan?: "free" | "pro" | "pro_plus" | "enterprise";
        };
        CreateTokenDto: {
            /** @example render-farm */
            name: string;
            /** @description Unix seconds after which the key stops working; omit for no expiry */
            expires_at?: number;
            /**
             * @description Most credits the key may spend per UTC day; omit for no cap
             * @example 500
             */
            credits_per_day?: number;
            /**
             * @description Most credits the key may spend per UTC month; omit for no cap
             * @example 10000
             */
            credits_per_month?: number;
        };
        CreatedTokenDto: {
            /** @example 12 */
            id: number;
            /** @example render-farm */
            name: string;
            /**
             * @description First characters of the key, for recognising it
             * @example sk-AbCd1234
             */
            key_prefix: string;
            /**
             * @description expired: past expires_at
             * @enum {string}
             */
            status: "active" | "expired" | "revoked";
            /** @description Unix seconds */
            expires_at: number | null;
            /** @description Unix seconds (refreshed at most once a minute) */
            last_used_at: number | null;
            /** @description Unix seconds */
            created_at: number;
            /** @description Spending cap per UTC day, in credits */
            credits_per_day: number | null;
            /** @description Spending cap per UTC month, in credits */
            credits_per_month: number | null;
            /** @description Held or charged through this key today (counted while a daily cap is set) */
            spent_today: number;
            /** @description Held or charged through this key this month (counted while a monthly cap is set) */
            spent_this_month: number;
            /**
             * @description The full key. Shown only in this response; Reelay keeps only its hash.
             * @example sk-0123456789abcdefghijABCDEFGHIJ0123456789abcdefgh
             */
            key: string;
        };
        ApiTokenDto: {
            /** @example 12 */
            id: number;
            /** @example render-farm */
            name: string;
            /**
             * @description First characters of the key, for recognising it
             * @example sk-AbCd1234
             */
            key_prefix: string;
            /**
             * @description expired: past expires_at
             * @enum {string}
             */
            status: "active" | "expired" | "revoked";
            /** @description Unix seconds */
            expires_at: number | null;
            /** @description Unix seconds (refreshed at most once a minute) */
            last_used_at: number | null;
            /** @description Unix seconds */
            created_at: number;
            /** @description Spending cap per UTC day, in credits */
            credits_per_day: number | null;
            /** @description Spending cap per UTC month, in credits */
            credits_per_month: number | null;
            /** @description Held or charged through this key today (counted while a daily cap is set) */
            spent_today: number;
            /** @description Held or charged through this key this month (counted while a monthly cap is set) */
            spent_this_month: number;
        };
        ApiTokenPage: {
            items: components["schemas"]["ApiTokenDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        UpdateTokenCapsDto: {
            /** @example 500 */
            credits_per_day?: number | null;
            /** @example 10000 */
            credits_per_month?: number | null;
        };
        CreateUserDto: {
            /** @example new.customer@example.com */
            email: string;
            /** @description Initial password. Leave it out to get a one-time setup link instead */
            password?: string;
            /**
             * @default user
             * @enum {string}
             */
            role?: "admin" | "user";
            /**
             * @default free
             * @enum {string}
             */
            plan?: "free" | "pro" | "pro_plus" | "enterprise";
        };
        PasswordLinkDto: {
            /**
             * @description Works once, until expires_at. Shown only in this response; Reelay keeps only its hash
             * @example https://reelay.example.com/set-password#token=…
             */
            url: string;
            /** @enum {string} */
            purpose: "setup" | "reset";
            /** @description Unix seconds */
            expires_at: number;
        };
        CreatedUserDto: {
            user: components["schemas"]["UserDto"];
            /** @description When no password was given */
            setup_link: components["schemas"]["PasswordLinkDto"] | null;
        };
        ResetPasswordDto: {
            /**
             * @description `link`: a one-time link (the old password works until it is used); `password`: a generated password, in force at once, shown once. Either way the newest link is the only one that works
             * @enum {string}
             */
            mode: "link" | "password";
        };
        PasswordResetDto: {
            /** @enum {string} */
            mode: "link" | "password";
            link: components["schemas"]["PasswordLinkDto"] | null;
            /** @description The generated password, shown only here */
            password: string | null;
        };
        PasswordLinkTokenDto: {
            /** @description The token from the link (after `#token=`) */
            token: string;
        };
        PasswordLinkInfoDto: {
            /** @example new.customer@example.com */
            email: string;
            /** @enum {string} */
            purpose: "setup" | "reset";
            /** @description Unix seconds */
            expires_at: number;
        };
        RedeemPasswordLinkDto: {
            /** @description The token from the link (after `#token=`) */
            token: string;
            password: string;
        };
        ChangePasswordDto: {
            current_password: string;
            new_password: string;
        };
        BalanceDto: {
            /**
             * @description Credits bought or granted, minus credits charged
             * @example 500
             */
            balance: number;
            /**
             * @description Credits reserved by tasks still running
             * @example 60
             */
            held: number;
            /**
             * @description balance - held: what new tasks can use
             * @example 440
             */
            available: number;
            /**
             * @description Credits charged for succeeded videos so far
             * @example 120
             */
            used: number;
        };
        LedgerEntryDto: {
            /** @example 41 */
            id: number;
            /** @enum {string} */
            kind: "topup" | "hold" | "capture" | "release" | "adjustment";
            /**
             * @description Effect on the balance, in credits
             * @example -60
             */
            amount: number;
            /**
             * @description Effect on the held credits
             * @example -60
             */
            held_delta: number;
            /**
             * @description What the entry is about
             * @enum {string}
             */
            ref_type: "task" | "order" | "admin" | "batch";
            /** @example kling_8fK2… */
            ref_id: string;
            /** @example null */
            note: string | null;
            /** @description Unix seconds */
            created_at: number;
        };
        LedgerPage: {
            items: components["schemas"]["LedgerEntryDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        FixedPriceEntryDto: {
            /**
             * @description null or absent: any resolution
             * @example 720p
             */
            resolution?: string | null;
            /**
             * @description null or absent: any duration
             * @example 10
             */
            duration?: number | null;
            /** @example 15 */
            credits: number;
        };
        PriceViewDto: {
            /** @example kling-v1-5-std */
            model: string;
            /**
             * @description kling_formula: base × (duration / per_seconds) × aspect × kind; fixed: a table
             * @enum {string}
             */
            scheme: "kling_formula" | "fixed";
            /**
             * @description kling_formula: credits for per_seconds seconds at multiplier 1
             * @example 50
             */
            base_credits?: number;
            /**
             * @description kling_formula: seconds the base price covers (default 5)
             * @example 5
             */
            per_seconds?: number;
            /**
             * @example {
             *       "16:9": 1.2,
             *       "9:16": 1.2,
             *       "1:1": 1,
             *       "21:9": 1.3,
             *       "9:21": 1.3
             *     }
             */
            aspect_multipliers?: Record<string, unknown>;
            /**
             * @example {
             *       "text2video": 1,
             *       "image2video": 1.1,
             *       "omni-video": 1.2,
             *       "multi-image2video": 1.3
             *     }
             */
            kind_multipliers?: Record<string, unknown>;
            /**
             * @description Seconds when a request gives none
             * @example 5
             */
            default_duration?: number | null;
            /**
             * @description kling_formula: aspect ratio when a request gives none
             * @example 16:9
             */
            default_aspect_ratio?: string;
            /** @description fixed: the price table */
            entries?: components["schemas"]["FixedPriceEntryDto"][];
            /**
             * @description fixed: resolution when a request gives none
             * @example 720p
             */
            default_resolution?: string | null;
            /** @description Unix seconds */
            updated_at: number;
        };
        PricePage: {
            items: components["schemas"]["PriceViewDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        PriceDto: {
            /** @example kling-v1-5-std */
            model: string;
            /**
             * @description kling_formula: base × (duration / per_seconds) × aspect × kind; fixed: a table
             * @enum {string}
             */
            scheme: "kling_formula" | "fixed";
            /**
             * @description kling_formula: credits for per_seconds seconds at multiplier 1
             * @example 50
             */
            base_credits?: number;
            /**
             * @description kling_formula: seconds the base price covers (default 5)
             * @example 5
             */
            per_seconds?: number;
            /**
             * @example {
             *       "16:9": 1.2,
             *       "9:16": 1.2,
             *       "1:1": 1,
             *       "21:9": 1.3,
             *       "9:21": 1.3
             *     }
             */
            aspect_multipliers?: Record<string, unknown>;
            /**
             * @example {
             *       "text2video": 1,
             *       "image2video": 1.1,
             *       "omni-video": 1.2,
             *       "multi-image2video": 1.3
             *     }
             */
            kind_multipliers?: Record<string, unknown>;
            /**
             * @description Seconds when a request gives none
             * @example 5
             */
            default_duration?: number | null;
            /**
             * @description kling_formula: aspect ratio when a request gives none
             * @example 16:9
             */
            default_aspect_ratio?: string;
            /** @description fixed: the price table */
            entries?: components["schemas"]["FixedPriceEntryDto"][];
            /**
             * @description fixed: resolution when a request gives none
             * @example 720p
             */
            default_resolution?: string | null;
        };
        ReplacePricesDto: {
            /** @description The whole price table; a model left out can no longer be used */
            items: components["schemas"]["PriceDto"][];
        };
        AdjustCreditsDto: {
            /**
             * @description Credits to add (negative to remove)
             * @example 25.5
             */
            amount: number;
            /** @example Refund for a failed batch */
            reason: string;
            /**
             * @description Your id for this adjustment; sending it again is a no-op (default: a new id each call)
             * @example ticket-4711
             */
            reference?: string;
        };
        AdjustmentDto: {
            /** @enum {string} */
            status: "adjusted" | "already_adjusted";
            entry: components["schemas"]["LedgerEntryDto"];
            balance: components["schemas"]["BalanceDto"];
        };
        ReconciliationMismatchDto: {
            /** @example 7 */
            user_id: number;
            /** @enum {string} */
            check: "balance" | "held" | "used" | "available" | "settlement";
            /**
             * @description Credits per the ledger (or the rule)
             * @example 100
             */
            expected: Record<string, unknown>;
            /**
             * @description Credits in the account
             * @example 90
             */
            actual: Record<string, unknown>;
        };
        ReconciliationDto: {
            /** @example true */
            ok: boolean;
            /** @example 1204 */
            checked_accounts: number;
            mismatches: components["schemas"]["ReconciliationMismatchDto"][];
            /** @description Unix seconds */
            generated_at: number;
        };
        CatalogSizeDto: {
            /** @example 1280x720 */
            size: string;
            /** @example 16:9 */
            aspect_ratio: string;
            /**
             * @example 720p
             * @enum {string}
             */
            resolution: "720p" | "1080p";
        };
        CatalogPriceDto: {
            /**
             * @example text2video
             * @enum {string}
             */
            kind: "text2video" | "image2video" | "multi-image2video" | "omni-video";
            /** @example 5 */
            seconds: number;
            /** @example 1280x720 */
            size: string;
            /**
             * @description Credits, charged only if the video succeeds
             * @example 72
             */
            credits: number;
        };
        CatalogModelDto: {
            /** @example kling-v1-6-std */
            id: string;
            /**
             * @example kling
             * @enum {string}
             */
            provider: "kling" | "kie" | "viva";
            /** @example Kling v1-6 (std) */
            name: string;
            /**
             * @example [
             *       "text2video",
             *       "image2video"
             *     ]
             */
            kinds: string[];
            /**
             * @example [
             *       5,
             *       10
             *     ]
             */
            seconds: number[];
            sizes: components["schemas"]["CatalogSizeDto"][];
            /** @description Whether an image reference (first frame) is accepted */
            image_reference: boolean;
            /** @example 5 */
            default_seconds: number;
            /** @example 1280x720 */
            default_size: string;
            /** @description The price of every combination */
            prices: components["schemas"]["CatalogPriceDto"][];
        };
        CatalogDto: {
            models: components["schemas"]["CatalogModelDto"][];
        };
        QuoteRequestDto: {
            /** @example kling-v1-6-pro */
            model: string;
            /**
             * @description Kling request kind (default text2video)
             * @example multi-image2video
             */
            kind?: string;
            /**
             * @description Seconds
             * @example 10
             */
            duration?: number;
            /** @example 21:9 */
            aspect_ratio?: string;
            /** @example 1080p */
            resolution?: string;
        };
        QuoteDto: {
            /** @example kling-v1-6-pro */
            model: string;
            /**
             * @description Price in credits, charged only if the video succeeds
             * @example 405.6
             */
            credits: number;
            /**
             * @description The same price in quota units
             * @example 405600
             */
            quota: number;
            /** @example 10 */
            duration: number | null;
            /** @example 21:9 */
            aspect_ratio: string | null;
            /** @example null */
            resolution: string | null;
        };
        Text2VideoDto: {
            /**
             * @description Reelay model; `-std`/`-pro` suffix selects the mode
             * @example kling-v1-6-std
             */
            model: string;
            negative_prompt?: string;
            cfg_scale?: number;
            /**
             * @description Ignored when the model name carries the mode
             * @enum {string}
             */
            mode?: "std" | "pro";
            /**
             * @description Seconds (number or string): 5 or 10 for most models, 3–15 for kling-v3 (GET /api/models)
             * @example 5
             */
            duration?: string;
            /**
             * @example {
             *       "enabled": true
             *     }
             */
            watermark_info?: Record<string, unknown>;
            /**
             * @description Called with Kling's callback body when the task ends, signed with Standard Webhooks headers
             * @example https://client.example.com/kling-callback
             */
            callback_url?: string;
            /**
             * @description Your own id, unique among your tasks (echoed back)
             * @example order-42
             */
            external_task_id?: string;
            /** @example A cat playing on the grass */
            prompt: string;
            /**
             * @default 16:9
             * @enum {string}
             */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
            /** @enum {string} */
            sound?: "on" | "off";
            /** @description Kling camera_control, passed through */
            camera_control?: Record<string, unknown>;
        };
        SubmitResponseDto: {
            /** @example kling_4f9a0c2e8b7d4b1a9c3e5f60 */
            task_id: string;
            /** @example 867283741759111202 */
            kling_task_id: string | null;
            /**
             * @example submitted
             * @enum {string}
             */
            status: "submitted" | "unknown";
            /** @example Task submitted; query GET /kling/v1/videos/{task_id} for the result */
            message: string;
        };
        Image2VideoDto: {
            /**
             * @description Reelay model; `-std`/`-pro` suffix selects the mode
             * @example kling-v1-6-std
             */
            model: string;
            negative_prompt?: string;
            cfg_scale?: number;
            /**
             * @description Ignored when the model name carries the mode
             * @enum {string}
             */
            mode?: "std" | "pro";
            /**
             * @description Seconds (number or string): 5 or 10 for most models, 3–15 for kling-v3 (GET /api/models)
             * @example 5
             */
            duration?: string;
            /**
             * @example {
             *       "enabled": true
             *     }
             */
            watermark_info?: Record<string, unknown>;
            /**
             * @description Called with Kling's callback body when the task ends, signed with Standard Webhooks headers
             * @example https://client.example.com/kling-callback
             */
            callback_url?: string;
            /**
             * @description Your own id, unique among your tasks (echoed back)
             * @example order-42
             */
            external_task_id?: string;
            /** @description must be an image URL or raw base64 (without a data: prefix) */
            image: string;
            /** @description End frame; must be an image URL or raw base64 (without a data: prefix) */
            image_tail?: string;
            prompt?: string;
            /**
             * @description Pricing only: the video follows the input image's shape, so it is not sent to Kling
             * @enum {string}
             */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
            /** @description Motion brush static mask (image) */
            static_mask?: string;
            dynamic_masks?: Record<string, unknown>[];
            camera_control?: Record<string, unknown>;
        };
        ImageItemDto: {
            /** @description must be an image URL or raw base64 (without a data: prefix) */
            image: string;
        };
        MultiImage2VideoDto: {
            /**
             * @description Reelay model; `-std`/`-pro` suffix selects the mode
             * @example kling-v1-6-std
             */
            model: string;
            negative_prompt?: string;
            cfg_scale?: number;
            /**
             * @description Ignored when the model name carries the mode
             * @enum {string}
             */
            mode?: "std" | "pro";
            /**
             * @description Seconds (number or string): 5 or 10 for most models, 3–15 for kling-v3 (GET /api/models)
             * @example 5
             */
            duration?: string;
            /**
             * @example {
             *       "enabled": true
             *     }
             */
            watermark_info?: Record<string, unknown>;
            /**
             * @description Called with Kling's callback body when the task ends, signed with Standard Webhooks headers
             * @example https://client.example.com/kling-callback
             */
            callback_url?: string;
            /**
             * @description Your own id, unique among your tasks (echoed back)
             * @example order-42
             */
            external_task_id?: string;
            prompt: string;
            image_list: components["schemas"]["ImageItemDto"][];
            /** @enum {string} */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
        };
        OmniImageDto: {
            image_url: string;
            /** @enum {string} */
            type?: "first_frame" | "end_frame";
        };
        OmniVideoDto: {
            /**
             * @description Reelay model; `-std`/`-pro` suffix selects the mode
             * @example kling-v1-6-std
             */
            model: string;
            negative_prompt?: string;
            cfg_scale?: number;
            /**
             * @description Ignored when the model name carries the mode
             * @enum {string}
             */
            mode?: "std" | "pro";
            /**
             * @description Seconds (number or string): 5 or 10 for most models, 3–15 for kling-v3 (GET /api/models)
             * @example 5
             * @enum {string}
             */
            duration?: "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10";
            /**
             * @example {
             *       "enabled": true
             *     }
             */
            watermark_info?: Record<string, unknown>;
            /**
             * @description Called with Kling's callback body when the task ends, signed with Standard Webhooks headers
             * @example https://client.example.com/kling-callback
             */
            callback_url?: string;
            /**
             * @description Your own id, unique among your tasks (echoed back)
             * @example order-42
             */
            external_task_id?: string;
            /** @description Reference inputs as <<<image_1>>>, <<<element_1>>>, <<<video_1>>> */
            prompt: string;
            image_list?: components["schemas"]["OmniImageDto"][];
            element_list?: Record<string, unknown>[];
            video_list?: Record<string, unknown>[];
            /** @enum {string} */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
        };
        TaskResultDto: {
            /** @description A signed, expiring link to the copy Reelay keeps (null until stored); works without a key */
            store_url: string | null;
            /**
             * @description null: no copy (failed task)
             * @enum {string|null}
             */
            store_status: "pending" | "stored" | "failed" | null;
            /** @description Why the copy failed (the provider link remains) */
            store_error: string | null;
            task_id: string;
            kling_task_id: string | null;
            /** @enum {string} */
            status: "submitting" | "unknown" | "submitted" | "processing" | "succeed" | "failed";
            /**
             * @description Set when status is succeed
             * @example
             */
            video_url: string;
            /**
             * @description Seconds, as Kling reports it
             * @example
             */
            duration: string;
            /** @example  */
            fail_reason: string;
        };
        NativeText2VideoDto: {
            negative_prompt?: string;
            cfg_scale?: number;
            /**
             * @description Ignored when the model name carries the mode
             * @enum {string}
             */
            mode?: "std" | "pro";
            /**
             * @description Seconds (number or string): 5 or 10 for most models, 3–15 for kling-v3 (GET /api/models)
             * @example 5
             */
            duration?: string;
            /**
             * @example {
             *       "enabled": true
             *     }
             */
            watermark_info?: Record<string, unknown>;
            /**
             * @description Called with Kling's callback body when the task ends, signed with Standard Webhooks headers
             * @example https://client.example.com/kling-callback
             */
            callback_url?: string;
            /**
             * @description Your own id, unique among your tasks (echoed back)
             * @example order-42
             */
            external_task_id?: string;
            /** @example A cat playing on the grass */
            prompt: string;
            /**
             * @default 16:9
             * @enum {string}
             */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
            /** @enum {string} */
            sound?: "on" | "off";
            /** @description Kling camera_control, passed through */
            camera_control?: Record<string, unknown>;
            /**
             * @description Kling's model_name (with `mode` for the tier)
             * @example kling-v1-6
             */
            model_name?: string;
        };
        KlingTaskInfoDto: {
            external_task_id?: string;
        };
        KlingVideoDto: {
            id: string;
            url: string;
            /** @example 5 */
            duration: string;
            /** @description Reelay's stored copy (a signed link) */
            store_url?: string | null;
        };
        KlingTaskResultDto: {
            videos: components["schemas"]["KlingVideoDto"][];
        };
        KlingTaskDto: {
            /** @example kling_4f9a0c2e8b7d4b1a9c3e5f60 */
            task_id: string;
            /** @enum {string} */
            task_status: "submitted" | "processing" | "succeed" | "failed";
            task_status_msg?: string;
            task_info: components["schemas"]["KlingTaskInfoDto"];
            task_result?: components["schemas"]["KlingTaskResultDto"];
            /** @description Unix milliseconds */
            created_at: number;
            /** @description Unix milliseconds */
            updated_at: number;
        };
        KlingEnvelopeDto: {
            /** @example 0 */
            code: number;
            /** @example SUCCEED */
            message: string;
            request_id: string;
            data: components["schemas"]["KlingTaskDto"];
        };
        NativeImage2VideoDto: {
            negative_prompt?: string;
            cfg_scale?: number;
            /**
             * @description Ignored when the model name carries the mode
             * @enum {string}
             */
            mode?: "std" | "pro";
            /**
             * @description Seconds (number or string): 5 or 10 for most models, 3–15 for kling-v3 (GET /api/models)
             * @example 5
             */
            duration?: string;
            /**
             * @example {
             *       "enabled": true
             *     }
             */
            watermark_info?: Record<string, unknown>;
            /**
             * @description Called with Kling's callback body when the task ends, signed with Standard Webhooks headers
             * @example https://client.example.com/kling-callback
             */
            callback_url?: string;
            /**
             * @description Your own id, unique among your tasks (echoed back)
             * @example order-42
             */
            external_task_id?: string;
            /** @description must be an image URL or raw base64 (without a data: prefix) */
            image: string;
            /** @description End frame; must be an image URL or raw base64 (without a data: prefix) */
            image_tail?: string;
            prompt?: string;
            /**
             * @description Pricing only: the video follows the input image's shape, so it is not sent to Kling
             * @enum {string}
             */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
            /** @description Motion brush static mask (image) */
            static_mask?: string;
            dynamic_masks?: Record<string, unknown>[];
            camera_control?: Record<string, unknown>;
            /**
             * @description Kling's model_name (with `mode` for the tier)
             * @example kling-v1-6
             */
            model_name?: string;
        };
        NativeMultiImage2VideoDto: {
            negative_prompt?: string;
            cfg_scale?: number;
            /**
             * @description Ignored when the model name carries the mode
             * @enum {string}
             */
            mode?: "std" | "pro";
            /**
             * @description Seconds (number or string): 5 or 10 for most models, 3–15 for kling-v3 (GET /api/models)
             * @example 5
             */
            duration?: string;
            /**
             * @example {
             *       "enabled": true
             *     }
             */
            watermark_info?: Record<string, unknown>;
            /**
             * @description Called with Kling's callback body when the task ends, signed with Standard Webhooks headers
             * @example https://client.example.com/kling-callback
             */
            callback_url?: string;
            /**
             * @description Your own id, unique among your tasks (echoed back)
             * @example order-42
             */
            external_task_id?: string;
            prompt: string;
            image_list: components["schemas"]["ImageItemDto"][];
            /** @enum {string} */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
            /**
             * @description Kling's model_name (with `mode` for the tier)
             * @example kling-v1-6
             */
            model_name?: string;
        };
        NativeOmniVideoDto: {
            negative_prompt?: string;
            cfg_scale?: number;
            /**
             * @description Ignored when the model name carries the mode
             * @enum {string}
             */
            mode?: "std" | "pro";
            /**
             * @description Seconds (number or string): 5 or 10 for most models, 3–15 for kling-v3 (GET /api/models)
             * @example 5
             * @enum {string}
             */
            duration?: "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10";
            /**
             * @example {
             *       "enabled": true
             *     }
             */
            watermark_info?: Record<string, unknown>;
            /**
             * @description Called with Kling's callback body when the task ends, signed with Standard Webhooks headers
             * @example https://client.example.com/kling-callback
             */
            callback_url?: string;
            /**
             * @description Your own id, unique among your tasks (echoed back)
             * @example order-42
             */
            external_task_id?: string;
            /** @description Reference inputs as <<<image_1>>>, <<<element_1>>>, <<<video_1>>> */
            prompt: string;
            image_list?: components["schemas"]["OmniImageDto"][];
            element_list?: Record<string, unknown>[];
            video_list?: Record<string, unknown>[];
            /** @enum {string} */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
            /**
             * @description Kling's model_name (with `mode` for the tier)
             * @example kling-v1-6
             */
            model_name?: string;
        };
        KlingListEnvelopeDto: {
            /** @example 0 */
            code: number;
            /** @example SUCCEED */
            message: string;
            request_id: string;
            data: components["schemas"]["KlingTaskDto"][];
        };
        OpenAiErrorDto: {
            /**
             * @example {
             *       "message": "seconds: sora-2 makes 10, 15 second videos",
             *       "type": "invalid_request_error",
             *       "param": "seconds",
             *       "code": "validation_failed"
             *     }
             */
            error: Record<string, unknown>;
        };
        OpenAiImageReferenceDto: {
            /** @example https://example.com/first-frame.png */
            image_url?: string;
            /** @description Not supported: upload the file, or give image_url */
            file_id?: string;
        };
        OpenAiCreateVideoDto: {
            /** @example A calico cat playing a piano on stage */
            prompt: string;
            /**
             * @description Any model of GET /v1/models
             * @default sora-2
             * @example sora-2
             */
            model?: string;
            /**
             * @description Seconds as a string; the model's allowed values are in GET /api/models
             * @example 10
             */
            seconds?: string;
            /**
             * @description WIDTHxHEIGHT; the sizes of each model are in GET /api/models
             * @example 1280x720
             */
            size?: string;
            /** @description First frame: an image URL (or an uploaded file) */
            input_reference?: components["schemas"]["OpenAiImageReferenceDto"];
        };
        OpenAiVideoErrorDto: {
            /** @example content_policy_violation */
            code: string;
            message: string;
        };
        OpenAiVideoDto: {
            /** @example video_4f9a0c2e8b7d4b1a9c3e5f60 */
            id: string;
            /** @enum {string} */
            object: "video";
            /** @example sora-2 */
            model: string;
            /** @enum {string} */
            status: "queued" | "in_progress" | "completed" | "failed";
            /** @description Estimated from elapsed time when the provider gives none */
            progress: number;
            /** @example 1764500000 */
            created_at: number;
            completed_at: number | null;
            /** @description When the stored file will be deleted */
            expires_at: number | null;
            prompt: string | null;
            /** @example 10 */
            seconds: string;
            /** @example 1280x720 */
            size: string;
            /** @example null */
            remixed_from_video_id: string | null;
            error: components["schemas"]["OpenAiVideoErrorDto"] | null;
        };
        OpenAiVideoListDto: {
            /** @enum {string} */
            object: "list";
            data: components["schemas"]["OpenAiVideoDto"][];
            first_id: string | null;
            last_id: string | null;
            has_more: boolean;
        };
        OpenAiVideoDeletedDto: {
            id: string;
            /** @enum {string} */
            object: "video.deleted";
            deleted: boolean;
        };
        OpenAiModelDto: {
            /** @example sora-2 */
            id: string;
            /** @enum {string} */
            object: "model";
            created: number;
            /** @example kie */
            owned_by: string;
        };
        OpenAiModelListDto: {
            /** @enum {string} */
            object: "list";
            data: components["schemas"]["OpenAiModelDto"][];
        };
        GenerateVideoDto: {
            /** @example A paper boat drifting down a rainy street */
            prompt: string;
            /**
             * @default veo3
             * @example veo3
             */
            model?: string;
            /** @enum {string} */
            aspect_ratio?: "16:9" | "9:16";
            /** @description First (and last) frame: URLs or data URLs */
            images?: string[];
        };
        GenerateVideoResponseDto: {
            /** @example veo_Q2x… */
            task_id: string;
            /** @enum {string} */
            status: "submitted" | "unknown";
            /**
             * @description Price, charged only if the video succeeds
             * @example 15
             */
            credits: number;
            message: string;
        };
        GeneratedVideoDto: {
            /** @description A signed, expiring link to the copy Reelay keeps (null until stored); works without a key */
            store_url: string | null;
            /**
             * @description null: no copy (failed task)
             * @enum {string|null}
             */
            store_status: "pending" | "stored" | "failed" | null;
            /** @description Why the copy failed (the provider link remains) */
            store_error: string | null;
            task_id: string;
            upstream_task_id: string | null;
            status: string;
            /** @example  */
            video_url: string;
            /** @example  */
            fail_reason: string;
        };
        VideoDto: {
            /** @description A signed, expiring link to the copy Reelay keeps (null until stored); works without a key */
            store_url: string | null;
            /**
             * @description null: no copy (failed task)
             * @enum {string|null}
             */
            store_status: "pending" | "stored" | "failed" | null;
            /** @description Why the copy failed (the provider link remains) */
            store_error: string | null;
            /** @example kling_4f9a0c2e8b7d4b1a9c3e5f60 */
            task_id: string;
            upstream_task_id: string | null;
            model: string;
            /** @example kling */
            provider: string;
            /** @example text2video */
            type: string;
            /** @enum {string} */
            status: "submitting" | "unknown" | "submitted" | "processing" | "succeed" | "failed";
            /**
             * @description Price in credits (charged only on success)
             * @example 60
             */
            credits: number;
            prompt: string | null;
            duration: string | null;
            video_url: string | null;
            fail_reason: string | null;
            created_at: number;
            updated_at: number;
            finished_at: number | null;
        };
        VideoPage: {
            items: components["schemas"]["VideoDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        TimelineEntryDto: {
            /** @description When it happened (unix seconds) */
            at: number;
            /** @enum {string} */
            kind: "submitted" | "credits_held" | "processing" | "succeeded" | "failed" | "credits_captured" | "credits_released" | "stored" | "store_failed";
            /** @description submitted: the provider’s task id */
            upstream_task_id?: string | null;
            /** @description submitted, operators only: the channel */
            channel_id?: number | null;
            /** @description credits_*: how many credits were held, charged or given back */
            credits?: number;
            /**
             * @description succeeded / failed: what ended it (null for tasks ended before this was recorded)
             * @enum {string|null}
             */
            ended_by?: "callback" | "poll" | "refresh" | "timeout" | "submit" | null;
            /** @description failed: why */
            fail_reason?: string | null;
            /** @description store_failed: why the copy was given up */
            store_error?: string | null;
        };
        VideoTimelineDto: {
            /** @example kling_4f9a0c2e8b7d4b1a9c3e5f60 */
            task_id: string;
            /** @enum {string} */
            status: "submitting" | "unknown" | "submitted" | "processing" | "succeed" | "failed";
            /** @description Oldest first */
            entries: components["schemas"]["TimelineEntryDto"][];
        };
        AdminVideoDto: {
            /** @description A signed, expiring link to the copy Reelay keeps (null until stored); works without a key */
            store_url: string | null;
            /**
             * @description null: no copy (failed task)
             * @enum {string|null}
             */
            store_status: "pending" | "stored" | "failed" | null;
            /** @description Why the copy failed (the provider link remains) */
            store_error: string | null;
            /** @example kling_4f9a0c2e8b7d4b1a9c3e5f60 */
            task_id: string;
            upstream_task_id: string | null;
            model: string;
            /** @example kling */
            provider: string;
            /** @example text2video */
            type: string;
            /** @enum {string} */
            status: "submitting" | "unknown" | "submitted" | "processing" | "succeed" | "failed";
            /**
             * @description Price in credits (charged only on success)
             * @example 60
             */
            credits: number;
            prompt: string | null;
            duration: string | null;
            video_url: string | null;
            fail_reason: string | null;
            created_at: number;
            updated_at: number;
            finished_at: number | null;
            user_id: number;
            channel_id: number | null;
        };
        AdminVideoPage: {
            items: components["schemas"]["AdminVideoDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        DailyVideoStatsDto: {
            /** @example 2026-11-21 */
            date: string;
            total: number;
            succeeded: number;
            failed: number;
            /** @description Credits charged for that day’s succeeded videos */
            credits_charged: number;
        };
        VideoStatsDto: {
            /**
             * @example {
             *       "succeed": 120,
             *       "failed": 4,
             *       "processing": 2
             *     }
             */
            by_status: Record<string, unknown>;
            /** @description The last 7 UTC days, oldest first */
            daily: components["schemas"]["DailyVideoStatsDto"][];
        };
        CreateWebhookDto: {
            /** @example https://example.com/hooks/reelay */
            url: string;
            /** @description Default: all of them */
            events?: ("video.completed" | "video.failed" | "batch.completed")[];
            /** @default true */
            enabled?: boolean;
            description?: string;
        };
        CreatedWebhookDto: {
            /** @example we_3kTq… */
            id: string;
            url: string;
            events: ("video.completed" | "video.failed" | "batch.completed")[];
            enabled: boolean;
            description: string | null;
            /** @description Why Reelay disabled it */
            disabled_reason: string | null;
            created_at: number;
            updated_at: number;
            /**
             * @description Shown only here (and on rotation)
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret: string;
        };
        WebhookEndpointDto: {
            /** @example we_3kTq… */
            id: string;
            url: string;
            events: ("video.completed" | "video.failed" | "batch.completed")[];
            enabled: boolean;
            description: string | null;
            /** @description Why Reelay disabled it */
            disabled_reason: string | null;
            created_at: number;
            updated_at: number;
        };
        WebhookEndpointPage: {
            items: components["schemas"]["WebhookEndpointDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        WebhookSecretDto: {
            /** @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw */
            secret: string;
        };
        UpdateWebhookDto: {
            url?: string;
            events?: ("video.completed" | "video.failed" | "batch.completed")[];
            /** @description Enabling a disabled endpoint clears its disabled_reason */
            enabled?: boolean;
            description?: string | null;
        };
        WebhookDeliveryDto: {
            /** @example dlv_8Hq2… */
            id: string;
            /**
             * @description The webhook-id header; the same for every attempt
             * @example evt_Zr81…
             */
            event_id: string;
            /** @example video.completed */
            event_type: string;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            /** @description HTTP status of the last attempt */
            last_status: number | null;
            last_error: string | null;
            /** @description When the next attempt is due (unix seconds) */
            next_attempt_at: number | null;
            delivered_at: number | null;
            created_at: number;
        };
        WebhookDeliveryPage: {
            items: components["schemas"]["WebhookDeliveryDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        AdminWebhookDeliveryDto: {
            /** @example dlv_8Hq2… */
            id: string;
            /**
             * @description The webhook-id header; the same for every attempt
             * @example evt_Zr81…
             */
            event_id: string;
            /** @example video.completed */
            event_type: string;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            /** @description HTTP status of the last attempt */
            last_status: number | null;
            last_error: string | null;
            /** @description When the next attempt is due (unix seconds) */
            next_attempt_at: number | null;
            delivered_at: number | null;
            created_at: number;
            user_id: number;
            /**
             * @description The endpoint's id, or `callback` for a task's callback URL
             * @example we_3kTq…
             */
            endpoint_id: string;
            /** @description Where it goes (null once the endpoint is deleted) */
            url: string | null;
        };
        AdminWebhookDeliveryPage: {
            items: components["schemas"]["AdminWebhookDeliveryDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        PackageDto: {
            id: number;
            /** @example basic */
            code: string;
            /** @example Basic */
            name: string;
            /**
             * @description Price in fen
             * @example 4900
             */
            price_fen: number;
            /**
             * @description Price in yuan, as Alipay shows it
             * @example 49.00
             */
            price_yuan: string;
            /** @example 50 */
            credits: number;
            /**
             * @example pro
             * @enum {string|null}
             */
            grants_plan: "pro" | "pro_plus" | "enterprise" | null;
            /** @enum {string} */
            status: "active" | "inactive";
            sort: number;
        };
        PackageListDto: {
            items: components["schemas"]["PackageDto"][];
        };
        CreateOrderDto: {
            /** @example 1 */
            package_id: number;
        };
        OrderDto: {
            id: number;
            /** @example RL20261121093000aB3dE5fG7h */
            out_trade_no: string;
            package_id: number;
            /** @example 4900 */
            amount_fen: number;
            /** @example 50 */
            credits: number;
            /** @enum {string} */
            status: "pending" | "paid" | "closed";
            paid_at: number | null;
            created_at: number;
        };
        CreatedOrderDto: {
            order: components["schemas"]["OrderDto"];
            /** @description Open this Alipay page-pay URL to pay */
            pay_url: string;
        };
        OrderPage: {
            items: components["schemas"]["OrderDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        PackagePage: {
            items: components["schemas"]["PackageDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        CreatePackageDto: {
            /** @example starter */
            code: string;
            /** @example Starter */
            name: string;
            /**
             * @description Price in fen
             * @example 1900
             */
            price_fen: number;
            /** @example 20 */
            credits: number;
            /** @enum {string|null} */
            grants_plan?: "pro" | "pro_plus" | "enterprise" | null;
            /** @enum {string} */
            status?: "active" | "inactive";
            sort?: number;
        };
        UpdatePackageDto: {
            name?: string;
            price_fen?: number;
            credits?: number;
            /** @enum {string|null} */
            grants_plan?: "pro" | "pro_plus" | "enterprise" | null;
            /** @enum {string} */
            status?: "active" | "inactive";
            sort?: number;
        };
        AdminOrderDto: {
            id: number;
            /** @example RL20261121093000aB3dE5fG7h */
            out_trade_no: string;
            package_id: number;
            /** @example 4900 */
            amount_fen: number;
            /** @example 50 */
            credits: number;
            /** @enum {string} */
            status: "pending" | "paid" | "closed";
            paid_at: number | null;
            created_at: number;
            user_id: number;
            /** @description Alipay trade number */
            trade_no: string | null;
        };
        AdminOrderPage: {
            items: components["schemas"]["AdminOrderDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        BatchRowDto: {
            /** @example A lighthouse at dawn */
            prompt: string;
            /**
             * @description Any model of GET /api/models (Sora 2 by default; Kling and Veo too)
             * @example sora-2
             */
            model?: string;
            /**
             * @description As the model renders it (1080p: sora-2-pro, Kling pro)
             * @enum {string}
             */
            resolution?: "720p" | "1080p";
            /**
             * @description Seconds, as the model makes them (Sora 2: 10 or 15; Kling: 5 or 10)
             * @example 10
             */
            duration?: number;
            /**
             * @default 16:9
             * @enum {string}
             */
            aspect_ratio?: "16:9" | "9:16" | "1:1";
            /** @description First frame (image to video) */
            image_url?: string;
        };
        BatchGenerateDto: {
            rows: components["schemas"]["BatchRowDto"][];
            /**
             * @example video
             * @enum {string}
             */
            generationType: "video" | "image";
            /**
             * @description Any model of GET /api/models (Sora 2 by default; Kling and Veo too)
             * @default sora-2
             * @example sora-2
             */
            defaultModel?: string;
            /**
             * @description Default: the model's default size
             * @enum {string}
             */
            defaultResolution?: "720p" | "1080p";
            /**
             * @description Default: the model's default length (Sora 2: 10 s)
             * @example 10
             */
            defaultDuration?: number;
        };
        BatchItemDto: {
            idx: number;
            model: string;
            resolution: string;
            duration: number;
            /** @enum {string} */
            lane: "fast" | "slow";
            /** @enum {string} */
            status: "queued" | "dispatching" | "running" | "retry_wait" | "succeed" | "failed" | "cancelled";
            attempts: number;
            /** @example 15 */
            credits: number;
            task_id: string | null;
            /** @description The provider's link (expires) */
            video_url: string | null;
            /** @description A signed link to Reelay's copy, once stored */
            store_url: string | null;
            error: string | null;
        };
        BatchDetailDto: {
            /** @example batch_3kT… */
            id: string;
            /** @enum {string} */
            status: "running" | "paused" | "cancelled" | "completed";
            total: number;
            /**
             * @example {
             *       "queued": 10,
             *       "running": 5,
             *       "succeed": 3
             *     }
             */
            counts: Record<string, unknown>;
            /**
             * @description Credits held for the batch up front
             * @example 750
             */
            credits: number;
            /** @description When every fast-lane item finished (ms) */
            fast_lane_done_at_ms: number | null;
            /** @description Estimated seconds until the batch finishes */
            eta_seconds: number | null;
            created_at: number;
            finished_at: number | null;
            items: components["schemas"]["BatchItemDto"][];
        };
        BatchDto: {
            /** @example batch_3kT… */
            id: string;
            /** @enum {string} */
            status: "running" | "paused" | "cancelled" | "completed";
            total: number;
            /**
             * @example {
             *       "queued": 10,
             *       "running": 5,
             *       "succeed": 3
             *     }
             */
            counts: Record<string, unknown>;
            /**
             * @description Credits held for the batch up front
             * @example 750
             */
            credits: number;
            /** @description When every fast-lane item finished (ms) */
            fast_lane_done_at_ms: number | null;
            /** @description Estimated seconds until the batch finishes */
            eta_seconds: number | null;
            created_at: number;
            finished_at: number | null;
        };
        BatchPage: {
            items: components["schemas"]["BatchDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        PlanLimitsDto: {
            /** @description Videos of one user running at once */
            concurrency?: number;
            /** @description Rows one batch may have */
            max_batch_rows?: number;
        };
        PlansDto: {
            free?: components["schemas"]["PlanLimitsDto"];
            pro?: components["schemas"]["PlanLimitsDto"];
            pro_plus?: components["schemas"]["PlanLimitsDto"];
            enterprise?: components["schemas"]["PlanLimitsDto"];
        };
        ModelCapsDto: {
            /** @example 12 */
            "sora-2"?: number;
            /** @example 10 */
            "sora-2-pro"?: number;
        };
        ResolutionWeightsDto: {
            /** @example 1 */
            "720p"?: number;
            /** @example 0.65 */
            "1080p"?: number;
        };
        DurationWeightsDto: {
            /** @example 1.3 */
            10?: number;
            /** @example 1 */
            15?: number;
        };
        PollingDto: {
            /**
             * @example [
             *       [
             *         0,
             *         3000
             *       ],
             *       [
             *         60000,
             *         5000
             *       ],
             *       [
             *         180000,
             *         8000
             *       ]
             *     ]
             */
            "720p"?: number[][];
            "1080p"?: number[][];
        };
        TimeoutsDto: {
            /** @example 300000 */
            "720p"?: number;
            /** @example 900000 */
            "1080p"?: number;
        };
        DegradationDto: {
            /**
             * @description Recent outcomes looked at
             * @example 10
             */
            window?: number;
            /**
             * @description Cut when more than this share failed
             * @example 0.3
             */
            fail_rate_above?: number;
            /** @example 60 */
            cut_to_pct?: number;
            /** @example 20 */
            recover_step_pct?: number;
            /** @example 3 */
            recover_after_successes?: number;
        };
        BatchConfigDto: {
            /** @description Refuse the write (409) unless the stored version is still this */
            expected_version?: number;
            plans?: components["schemas"]["PlansDto"];
            model_caps?: components["schemas"]["ModelCapsDto"];
            resolution_weights?: components["schemas"]["ResolutionWeightsDto"];
            duration_weights?: components["schemas"]["DurationWeightsDto"];
            polling?: components["schemas"]["PollingDto"];
            timeouts_ms?: components["schemas"]["TimeoutsDto"];
            /**
             * @description One wait per retry; [] turns retries off
             * @example [
             *       2000,
             *       4000,
             *       8000
             *     ]
             */
            retry_backoff_ms?: string[];
            degradation?: components["schemas"]["DegradationDto"];
        };
        BatchConfigViewDto: {
            /** @description 0 until an admin first saves overrides */
            version: number;
            updated_at: number | null;
            /** @description BATCH_TIME_SCALE: times below are multiplied by it when used */
            time_scale: number;
            /** @description What the admin set */
            overrides: components["schemas"]["BatchConfigDto"];
            /** @description The values in force: defaults with the overrides over them */
            effective: components["schemas"]["BatchConfigDto"];
        };
        AdminBatchDto: {
            /** @example batch_3kT… */
            id: string;
            /** @enum {string} */
            status: "running" | "paused" | "cancelled" | "completed";
            total: number;
            /**
             * @example {
             *       "queued": 10,
             *       "running": 5,
             *       "succeed": 3
             *     }
             */
            counts: Record<string, unknown>;
            /**
             * @description Credits held for the batch up front
             * @example 750
             */
            credits: number;
            /** @description When every fast-lane item finished (ms) */
            fast_lane_done_at_ms: number | null;
            /** @description Estimated seconds until the batch finishes */
            eta_seconds: number | null;
            created_at: number;
            finished_at: number | null;
            user_id: number;
        };
        AdminBatchPage: {
            items: components["schemas"]["AdminBatchDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        BatchEventDto: {
            id: number;
            /** @description When (unix milliseconds) */
            at_ms: number;
            item_idx: number | null;
            /** @example running */
            status: string;
            /** @example attempt 1 */
            detail: string | null;
        };
        AdminBatchDetailDto: {
            /** @example batch_3kT… */
            id: string;
            /** @enum {string} */
            status: "running" | "paused" | "cancelled" | "completed";
            total: number;
            /**
             * @example {
             *       "queued": 10,
             *       "running": 5,
             *       "succeed": 3
             *     }
             */
            counts: Record<string, unknown>;
            /**
             * @description Credits held for the batch up front
             * @example 750
             */
            credits: number;
            /** @description When every fast-lane item finished (ms) */
            fast_lane_done_at_ms: number | null;
            /** @description Estimated seconds until the batch finishes */
            eta_seconds: number | null;
            created_at: number;
            finished_at: number | null;
            items: components["schemas"]["BatchItemDto"][];
            user_id: number;
            /** @description Status changes, oldest first (the first 1000) */
            timeline: components["schemas"]["BatchEventDto"][];
        };
        BatchLimitsDto: {
            /** @enum {string} */
            plan: "free" | "pro" | "pro_plus" | "enterprise";
            /**
             * @description How many of your videos may run at once (before resolution/duration weights)
             * @example 3
             */
            concurrency: number;
            /**
             * @description Most rows one batch may have
             * @example 15
             */
            max_batch_rows: number;
        };
        ProviderQuotaDto: {
            /** @example viva */
            provider: string;
            /**
             * @description Credits bought for this provider
             * @example 150
             */
            quota: number;
            /** @example 45 */
            used: number;
            /** @example 105 */
            remaining: number;
            /**
             * @description used / quota, in percent (one decimal)
             * @example 30
             */
            percent: number;
            /**
             * @description Whether a dedicated upstream key is set (never shown)
             * @example false
             */
            dedicated_key: boolean;
        };
        QuotaListDto: {
            items: components["schemas"]["ProviderQuotaDto"][];
        };
        SetProviderKeyDto: {
            /** @enum {string} */
            provider: "viva";
            /** @description The dedicated upstream key; encrypted at rest, never shown again */
            api_key: string;
        };
        AlertDto: {
            id: number;
            /** @enum {string} */
            kind: "user_quota_high" | "total_quota_high" | "master_refill_needed";
            /** @example user:7 */
            subject: string;
            message: string;
            details: Record<string, unknown> | null;
            created_at: number;
            /** @description When the webhook accepted it */
            delivered_at: number | null;
            attempts: number;
        };
        AlertPage: {
            items: components["schemas"]["AlertDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        AlertRunDto: {
            /** @description Alerts this run raised (a crossing raises one alert once) */
            raised: components["schemas"]["AlertDto"][];
            /** @description Alerts delivered to the webhook by this run */
            delivered: number;
        };
        StatsRangeDto: {
            /** @description Unix seconds, inclusive */
            from: number;
            /** @description Unix seconds, exclusive */
            to: number;
        };
        TaskStatsFiltersDto: {
            /** @enum {string|null} */
            provider: "kling" | "kie" | "viva" | null;
            model: string | null;
            channel_id: number | null;
        };
        TaskTotalsDto: {
            tasks: number;
            succeeded: number;
            failed: number;
            /** @description Not finished yet (submitting, unknown, submitted, processing) */
            in_flight: number;
            /** @description succeeded / (succeeded + failed); null when none finished */
            success_rate: number | null;
            /** @description Share of tasks an upstream accepted (not failed at submit); null when there are none */
            submit_accept_rate: number | null;
            /** @description Credits charged: the prices of the succeeded tasks */
            credits_charged: number;
        };
        StatusFigureDto: {
            /** @example succeed */
            status: string;
            count: number;
            /** @description Sum of the tasks’ prices in quota units */
            quota: number;
            /** @description The same sum in credits */
            credits: number;
        };
        EndedByFigureDto: {
            /**
             * @description unknown: ended before Reelay recorded how
             * @enum {string}
             */
            ended_by: "callback" | "poll" | "refresh" | "timeout" | "submit" | "unknown";
            count: number;
            /** @description Share of the finished tasks (0..1) */
            share: number;
        };
        TaskSeriesPointDto: {
            /** @description Bucket start, unix seconds */
            start: number;
            total: number;
            succeeded: number;
            failed: number;
            credits_charged: number;
        };
        TaskSeriesDto: {
            /** @enum {string} */
            bucket: "hour" | "day";
            /** @example 86400 */
            size_seconds: number;
            /** @description Every bucket of the range, oldest first, zeros included */
            points: components["schemas"]["TaskSeriesPointDto"][];
        };
        StatsOverviewDto: {
            range: components["schemas"]["StatsRangeDto"];
            filters: components["schemas"]["TaskStatsFiltersDto"];
            totals: components["schemas"]["TaskTotalsDto"];
            by_status: components["schemas"]["StatusFigureDto"][];
            /** @description How the finished tasks ended, most first */
            ended_by: components["schemas"]["EndedByFigureDto"][];
            series: components["schemas"]["TaskSeriesDto"];
        };
        CompletionSecondsDto: {
            /** @description Succeeded tasks measured */
            count: number;
            /** @description Median, nearest rank, seconds */
            p50: number | null;
            /** @description 95th percentile, nearest rank, seconds */
            p95: number | null;
            /** @description Mean, seconds (one decimal) */
            average: number | null;
        };
        ModelFigureDto: {
            /** @example kling */
            provider: string;
            /** @example kling-v1-6-std */
            model: string;
            total: number;
            succeeded: number;
            failed: number;
            success_rate: number | null;
            credits_charged: number;
            /** @description From creation to success */
            completion_seconds: components["schemas"]["CompletionSecondsDto"];
        };
        ModelStatsDto: {
            range: components["schemas"]["StatsRangeDto"];
            filters: components["schemas"]["TaskStatsFiltersDto"];
            /** @description Most tasks first */
            items: components["schemas"]["ModelFigureDto"][];
        };
        UserFigureDto: {
            user_id: number;
            /** @description null when the user no longer exists */
            email: string | null;
            total: number;
            succeeded: number;
            failed: number;
            success_rate: number | null;
            /** @description Credits charged for the succeeded tasks */
            credits_charged: number;
        };
        UserStatsPage: {
            items: components["schemas"]["UserFigureDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        ChannelEventDto: {
            /** @description Unix seconds */
            at: number;
            /** @enum {string} */
            event: "auto_disabled" | "auto_reenabled";
            /** @example Kling 1101: Account in arrears */
            reason: string | null;
        };
        ChannelFigureDto: {
            channel_id: number;
            /** @description null when the channel was deleted */
            name: string | null;
            /** @enum {string|null} */
            type: "kling" | "kie" | "viva" | null;
            /** @enum {string|null} */
            status: "enabled" | "disabled" | "auto_disabled" | null;
            auto_reenable: boolean | null;
            total: number;
            succeeded: number;
            failed: number;
            /** @description failed / (succeeded + failed); null when none finished */
            error_rate: number | null;
            /** @description Auto-disables and re-enables in the range, oldest first */
            history: components["schemas"]["ChannelEventDto"][];
        };
        ChannelStatsDto: {
            range: components["schemas"]["StatsRangeDto"];
            filters: components["schemas"]["TaskStatsFiltersDto"];
            /** @description Channels with tasks or auto-disable events in the range, by id */
            items: components["schemas"]["ChannelFigureDto"][];
        };
        PackageRevenueDto: {
            package_id: number;
            code: string | null;
            name: string | null;
            orders: number;
            /** @description CNY fen */
            amount_fen: number;
            credits: number;
        };
        RevenuePointDto: {
            /** @description Bucket start, unix seconds */
            start: number;
            orders: number;
            amount_fen: number;
        };
        RevenueSeriesDto: {
            /** @enum {string} */
            bucket: "hour" | "day";
            /** @example 86400 */
            size_seconds: number;
            points: components["schemas"]["RevenuePointDto"][];
        };
        RevenueStatsDto: {
            /** @description Orders paid in this range */
            range: components["schemas"]["StatsRangeDto"];
            paid_orders: number;
            /** @description CNY fen */
            amount_fen: number;
            /** @example 1280.00 */
            amount_yuan: string;
            /** @description Credits the paid orders granted */
            credits: number;
            /** @description Most revenue first */
            by_package: components["schemas"]["PackageRevenueDto"][];
            series: components["schemas"]["RevenueSeriesDto"];
        };
        CallbackAckDto: {
            /** @example success */
            message: string;
        };
        CreateChannelDto: {
            /** @example Kling Singapore #1 */
            name: string;
            /**
             * @description Upstream kind; the legacy code 41 is accepted as kling
             * @enum {string}
             */
            type: "kling" | "kie" | "viva";
            /**
             * @description Default https://api-singapore.klingai.com
             * @example https://api-singapore.klingai.com
             */
            base_url?: string;
            /**
             * @description Kling: AK|SK. Stored encrypted, never shown again
             * @example AKxxxxxxxx|SKxxxxxxxx
             */
            key: string;
            /**
             * @example [
             *       "kling-v1-6-std",
             *       "kling-v1-6-pro"
             *     ]
             */
            models: string[];
            /**
             * @description Reelay model → upstream model
             * @example {
             *       "kling-v1-6-std": "kling-v1-6-std"
             *     }
             */
            model_mapping?: Record<string, unknown>;
            /** @description KIE: the account's webhook HMAC key, to verify callback signatures */
            webhook_key?: string;
            /**
             * @description Higher is tried first (default 0)
             * @example 10
             */
            priority?: number;
            /**
             * @description Share of traffic among channels of the same priority (default 1)
             * @example 1
             */
            weight?: number;
            /**
             * @description After an auto-disable (the upstream refused the key or account), check the key again every CHANNEL_RECHECK_INTERVAL_SECONDS and re-enable the channel when it passes
             * @default true
             */
            auto_reenable?: boolean;
            /** @enum {string} */
            status?: "enabled" | "disabled";
        };
        ChannelDto: {
            /** @example 3 */
            id: number;
            name: string;
            /** @enum {string} */
            type: "kling" | "kie" | "viva";
            base_url: string;
            /**
             * @description Masked; the key itself is never returned
             * @example AKxx…|****
             */
            key_masked: string;
            models: string[];
            /** @example {} */
            model_mapping: Record<string, unknown>;
            priority: number;
            weight: number;
            /** @enum {string} */
            status: "enabled" | "disabled" | "auto_disabled";
            /** @example Kling 1101: account in arrears */
            disabled_reason: string | null;
            /** @description Whether a webhook signing key is set (never shown) */
            webhook_key_set: boolean;
            /** @description Whether the re-check job may re-enable the channel after an auto-disable */
            auto_reenable: boolean;
            created_at: number;
            updated_at: number;
        };
        ChannelPage: {
            items: components["schemas"]["ChannelDto"][];
            /** @example 1 */
            page: number;
            /** @example 20 */
            page_size: number;
            /** @example 42 */
            total: number;
        };
        UpdateChannelDto: {
            name?: string;
            base_url?: string;
            /** @description A new key (replaces the stored one) */
            key?: string;
            models?: string[];
            model_mapping?: Record<string, unknown>;
            /** @description KIE: the account's webhook HMAC key, to verify callback signatures */
            webhook_key?: string;
            priority?: number;
            weight?: number;
            /** @description After an auto-disable (the upstream refused the key or account), check the key again every CHANNEL_RECHECK_INTERVAL_SECONDS and re-enable the channel when it passes */
            auto_reenable?: boolean;
            /**
             * @description enabled also clears an auto-disable
             * @enum {string}
             */
            status?: "enabled" | "disabled";
        };
        ChannelTestDto: {
            ok: boolean;
            message: string;
            /** @description category and code of a refusal; never the body the target answered */
            details: Record<string, unknown>;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    AuditController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                actor_type?: "user" | "system" | "anonymous";
                /** @description The acting user's id */
                actor_id?: number;
                /** @description Exact action */
                action?: string;
                target_type?: string;
                target_id?: string;
                /** @description At or after (unix seconds) */
                from?: number;
                /** @description Before (unix seconds) */
                to?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AuthController_register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Registration is closed */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Email already registered */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many attempts; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AuthController_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Wrong email or password */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Account disabled */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Too many attempts; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    UsersController_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminUsersController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                /** @description Part of the email (case-insensitive) */
                q?: string;
                /** @description Exact email */
                email?: string;
                role?: "admin" | "user";
                status?: "active" | "disabled";
                plan?: "free" | "pro" | "pro_plus" | "enterprise";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminAccountsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUserDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedUserDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Email already registered; nothing created */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminUsersController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUserDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description User not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    TokensController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    TokensController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTokenDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedTokenDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    TokensController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (or already revoked) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Token not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    TokensController_updateCaps: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTokenCapsDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Token not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminTokensController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiTokenPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description User not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminTokensController_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
                token_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (or already revoked) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Token not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminAccountsController_resetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResetPasswordDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasswordResetDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description User not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    PasswordLinksController_inspect: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordLinkTokenDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasswordLinkInfoDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Used, replaced or expired */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    PasswordLinksController_redeem: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RedeemPasswordLinkDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Account disabled; the link stays unused */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Used, replaced or expired; nothing changes */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AccountController_changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangePasswordDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BillingController_balance: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BalanceDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BillingController_ledger: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminBillingController_listPrices: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PricePage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminBillingController_replacePrices: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReplacePricesDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PricePage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminBillingController_adjust: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AdjustCreditsDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdjustmentDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Would leave available credits below zero */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description User not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminBillingController_reconciliationReport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReconciliationDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    CatalogController_models: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogDto"];
                };
            };
        };
    };
    CatalogController_quote: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QuoteRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QuoteDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The model has no price */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingCompatibleController_text2video: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a live request holds the key; 422 for the same key with another body */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Text2VideoDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitResponseDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Insufficient balance */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Same Idempotency-Key still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Model not priced, rejected upstream, or key reused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No channel could take the task */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingCompatibleController_image2video: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a live request holds the key; 422 for the same key with another body */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Image2VideoDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitResponseDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Insufficient balance */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Same Idempotency-Key still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Model not priced, rejected upstream, or key reused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No channel could take the task */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingCompatibleController_multiImage2video: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a live request holds the key; 422 for the same key with another body */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MultiImage2VideoDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitResponseDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Insufficient balance */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Same Idempotency-Key still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Model not priced, rejected upstream, or key reused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No channel could take the task */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingCompatibleController_omniVideo: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a live request holds the key; 422 for the same key with another body */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OmniVideoDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitResponseDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Insufficient balance */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Same Idempotency-Key still in progress */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Model not priced, rejected upstream, or key reused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No channel could take the task */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingCompatibleController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskResultDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such task of yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingNativeController_listText: {
        parameters: {
            query?: {
                pageNum?: number;
                pageSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KlingListEnvelopeDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingNativeController_text2video: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a live request holds the key; 422 for the same key with another body */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NativeText2VideoDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KlingEnvelopeDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingNativeController_listImage: {
        parameters: {
            query?: {
                pageNum?: number;
                pageSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KlingListEnvelopeDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingNativeController_image2video: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a live request holds the key; 422 for the same key with another body */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NativeImage2VideoDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KlingEnvelopeDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingNativeController_listMulti: {
        parameters: {
            query?: {
                pageNum?: number;
                pageSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KlingListEnvelopeDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingNativeController_multi: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a live request holds the key; 422 for the same key with another body */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NativeMultiImage2VideoDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KlingEnvelopeDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingNativeController_listOmni: {
        parameters: {
            query?: {
                pageNum?: number;
                pageSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KlingListEnvelopeDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingNativeController_omni: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a live request holds the key; 422 for the same key with another body */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NativeOmniVideoDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KlingEnvelopeDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingNativeController_getText: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KlingEnvelopeDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingNativeController_getImage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KlingEnvelopeDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingNativeController_getMulti: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KlingEnvelopeDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    KlingNativeController_getOmni: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KlingEnvelopeDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    OpenAiVideosController_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description A video id: the page after it */
                after?: string;
                order?: "asc" | "desc";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiVideoListDto"];
                };
            };
            /** @description OpenAI's error envelope (`param` names the field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    OpenAiVideosController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a live request holds the key; 422 for the same key with another body */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description JSON, or multipart/form-data with input_reference as an image file */
        requestBody: {
            content: {
                "application/json": components["schemas"]["OpenAiCreateVideoDto"];
                "multipart/form-data": components["schemas"]["OpenAiCreateVideoDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiVideoDto"];
                };
            };
            /** @description OpenAI's error envelope (`param` names the field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not enough credits; nothing held */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
        };
    };
    OpenAiVideosController_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                video_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiVideoDto"];
                };
            };
            /** @description OpenAI's error envelope (`param` names the field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such video of yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
        };
    };
    OpenAiVideosController_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                video_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiVideoDeletedDto"];
                };
            };
            /** @description OpenAI's error envelope (`param` names the field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The video is still being generated */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
        };
    };
    OpenAiVideosController_content: {
        parameters: {
            query?: {
                variant?: "video" | "thumbnail" | "spritesheet";
            };
            header?: never;
            path: {
                video_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The video (206 with Range) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description OpenAI's error envelope (`param` names the field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The video is not ready yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/mp4": components["schemas"]["OpenAiErrorDto"];
                    "video/quicktime": components["schemas"]["OpenAiErrorDto"];
                    "video/webm": components["schemas"]["OpenAiErrorDto"];
                };
            };
        };
    };
    OpenAiVideosController_remix: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description OpenAI's error envelope (`param` names the field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    OpenAiVideosController_edits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description OpenAI's error envelope (`param` names the field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    OpenAiVideosController_extensions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description OpenAI's error envelope (`param` names the field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    OpenAiVideosController_createCharacter: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description OpenAI's error envelope (`param` names the field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    OpenAiVideosController_getCharacter: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description OpenAI's error envelope (`param` names the field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    OpenAiVideosController_modelList: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiModelListDto"];
                };
            };
            /** @description OpenAI's error envelope (`param` names the field) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiErrorDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    VeoController_generate: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a live request holds the key; 422 for the same key with another body */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GenerateVideoDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GenerateVideoResponseDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Insufficient balance */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Model not priced or request refused */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No channel could take the task */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    VeoController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GeneratedVideoDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description No such task of yours */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    VideosController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                status?: "submitting" | "unknown" | "submitted" | "processing" | "succeed" | "failed";
                model?: string;
                /** @description Created at or after (unix seconds) */
                created_from?: number;
                /** @description Created before (unix seconds) */
                created_to?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VideoPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    VideosController_timeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VideoTimelineDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Video task not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminVideosController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                status?: "submitting" | "unknown" | "submitted" | "processing" | "succeed" | "failed";
                model?: string;
                /** @description Created at or after (unix seconds) */
                created_from?: number;
                /** @description Created before (unix seconds) */
                created_to?: number;
                user_id?: number;
                channel_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminVideoPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminVideosController_timeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VideoTimelineDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Video task not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminVideosController_stats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VideoStatsDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    VideoContentController_content: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole file (Content-Type, Content-Length, ETag = "<sha256>") */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The requested `Range` (one range; Content-Range) */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-None-Match` matched the ETag */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Stored video not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/mp4": components["schemas"]["ErrorBodyDto"];
                    "video/quicktime": components["schemas"]["ErrorBodyDto"];
                    "video/webm": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The range lies outside the file */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/mp4": components["schemas"]["ErrorBodyDto"];
                    "video/quicktime": components["schemas"]["ErrorBodyDto"];
                    "video/webm": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    MediaLinkController_open: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole file (Content-Type, Content-Length, ETag = "<sha256>") */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The requested `Range` (one range; Content-Range) */
            206: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-None-Match` matched the ETag */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not a valid link */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/mp4": components["schemas"]["ErrorBodyDto"];
                    "video/quicktime": components["schemas"]["ErrorBodyDto"];
                    "video/webm": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The link has expired */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/mp4": components["schemas"]["ErrorBodyDto"];
                    "video/quicktime": components["schemas"]["ErrorBodyDto"];
                    "video/webm": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The range lies outside the file */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "video/mp4": components["schemas"]["ErrorBodyDto"];
                    "video/quicktime": components["schemas"]["ErrorBodyDto"];
                    "video/webm": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    ReferenceLinkController_open: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The image */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not a valid link */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/png": components["schemas"]["ErrorBodyDto"];
                    "image/jpeg": components["schemas"]["ErrorBodyDto"];
                    "image/webp": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description The link has expired */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/png": components["schemas"]["ErrorBodyDto"];
                    "image/jpeg": components["schemas"]["ErrorBodyDto"];
                    "image/webp": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhooksController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointPage"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhooksController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhookDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhooksController_callbackSecret: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecretDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhooksController_rotateCallbackSecret: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecretDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhooksController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Webhook endpoint not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhooksController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Webhook endpoint not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhooksController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWebhookDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Webhook endpoint not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhooksController_rotate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookSecretDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Webhook endpoint not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhooksController_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Webhook endpoint not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhooksController_deliveries: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryPage"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Webhook endpoint not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhooksController_redeliver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Delivery not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhookAdminController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                user_id?: number;
                /** @description An endpoint's id, or `callback` for tasks' callback URLs */
                endpoint_id?: string;
                status?: "pending" | "delivered" | "failed";
                event_type?: "video.completed" | "video.failed" | "batch.completed" | "kling.callback" | "webhook.test";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminWebhookDeliveryPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    WebhookAdminController_redeliver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminWebhookDeliveryDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Delivery not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    PaymentsController_packages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PackageListDto"];
                };
            };
        };
    };
    PaymentsController_orders: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    PaymentsController_createOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a live request holds the key; 422 for the same key with another body */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateOrderDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedOrderDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Package not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Alipay is not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    PaymentsController_alipayNotify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description success | fail */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
        };
    };
    AdminPaymentsController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PackagePage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminPaymentsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePackageDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PackageDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminPaymentsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdatePackageDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PackageDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Package not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminPaymentsController_orders: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                user_id?: number;
                status?: "pending" | "paid" | "closed";
                /** @description Unix seconds */
                created_from?: number;
                /** @description Unix seconds */
                created_to?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminOrderPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BatchController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description Same key and body within 24 h: the first answer again (`idempotent-replayed: true`); 409 only while a live request holds the key; 422 for the same key with another body */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BatchGenerateDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchDetailDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not enough credits for the whole batch; nothing created */
            402: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description More rows than the plan allows, or image batches */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BatchController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BatchController_detail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchDetailDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Batch not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BatchController_download: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description application/zip */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Batch not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BatchController_events: {
        parameters: {
            query?: never;
            header: {
                "last-event-id": string;
            };
            path: {
                batch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Batch not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BatchController_pause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchDetailDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Batch not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BatchController_resume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchDetailDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Batch not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BatchController_cancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchDetailDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Batch not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BatchAdminController_view: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchConfigViewDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BatchAdminController_replace: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BatchConfigDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchConfigViewDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description expected_version is stale */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminBatchesController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                user_id?: number;
                status?: "running" | "paused" | "cancelled" | "completed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminBatchPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminBatchesController_detail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                batch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminBatchDetailDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Batch not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    BatchLimitsController_limits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchLimitsDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    QuotasController_mine: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QuotaListDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    QuotasController_issueKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedTokenDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Not on the enterprise plan */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminQuotasController_setKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetProviderKeyDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QuotaListDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description User not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminQuotasController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    AdminQuotasController_run: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRunDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    StatsController_overview: {
        parameters: {
            query?: {
                /** @description Start, unix seconds, inclusive (default: 7 days before `to`) */
                from?: number;
                /** @description End, unix seconds, exclusive (default: now) */
                to?: number;
                provider?: "kling" | "kie" | "viva";
                model?: string;
                /** @description The channel the tasks were recorded on */
                channel_id?: number;
                /** @description Series step, counted from `from` (at most 1000 steps) */
                bucket?: "hour" | "day";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatsOverviewDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    StatsController_models: {
        parameters: {
            query?: {
                /** @description Start, unix seconds, inclusive (default: 7 days before `to`) */
                from?: number;
                /** @description End, unix seconds, exclusive (default: now) */
                to?: number;
                provider?: "kling" | "kie" | "viva";
                model?: string;
                /** @description The channel the tasks were recorded on */
                channel_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelStatsDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    StatsController_users: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
                /** @description Start, unix seconds, inclusive (default: 7 days before `to`) */
                from?: number;
                /** @description End, unix seconds, exclusive (default: now) */
                to?: number;
                provider?: "kling" | "kie" | "viva";
                model?: string;
                /** @description The channel the tasks were recorded on */
                channel_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserStatsPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    StatsController_channels: {
        parameters: {
            query?: {
                /** @description Start, unix seconds, inclusive (default: 7 days before `to`) */
                from?: number;
                /** @description End, unix seconds, exclusive (default: now) */
                to?: number;
                provider?: "kling" | "kie" | "viva";
                model?: string;
                /** @description The channel the tasks were recorded on */
                channel_id?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelStatsDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    StatsController_revenue: {
        parameters: {
            query?: {
                /** @description Start, unix seconds, inclusive (default: 7 days before `to`) */
                from?: number;
                /** @description End, unix seconds, exclusive (default: now) */
                to?: number;
                /** @description Series step, counted from `from` (at most 1000 steps) */
                bucket?: "hour" | "day";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevenueStatsDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    HealthController_check: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Health Check is successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example ok
                         * @enum {string}
                         */
                        status?: "ok" | "degraded";
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up",
                         *         "responseTime": 12
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /** @example {} */
                        error?: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up",
                         *         "responseTime": 12
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description The database does not answer
             *
             *     The Health Check is not successful
             */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example error
                         * @enum {string}
                         */
                        status?: "error" | "shutting_down";
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up",
                         *         "responseTime": 12
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect",
                         *         "responseTime": 3005
                         *       }
                         *     }
                         */
                        error?: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up",
                         *         "responseTime": 12
                         *       },
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect",
                         *         "responseTime": 3005
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
    };
    HealthController_live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example ok */
                        status?: string;
                    };
                };
            };
        };
    };
    RelayCallbacksController_kling: {
        parameters: {
            query: {
                token: unknown;
            };
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CallbackAckDto"];
                };
            };
            /** @description Missing or wrong token; nothing changes */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    RelayCallbacksController_kie: {
        parameters: {
            query: {
                token: unknown;
            };
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CallbackAckDto"];
                };
            };
            /** @description Missing or wrong token or signature; nothing changes */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    ChannelsController_list: {
        parameters: {
            query?: {
                page?: number;
                page_size?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelPage"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    ChannelsController_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateChannelDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    ChannelsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Channel not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    ChannelsController_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Channel not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    ChannelsController_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateChannelDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelDto"];
                };
            };
            /** @description Malformed JSON, a wrong type, a missing or unknown field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Channel not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
    ChannelsController_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChannelTestDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Admin role required */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
            /** @description Channel not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBodyDto"];
                };
            };
        };
    };
}
