-- The directory attributes HR keeps of a person: the same as migrations/sqlite/0012.
-- Employee IDs are compared as written (utf8mb4_bin), as on the other backends.
ALTER TABLE users
    ADD COLUMN job_title VARCHAR(200),
    ADD COLUMN department VARCHAR(200),
    ADD COLUMN employee_id VARCHAR(200) COLLATE utf8mb4_bin,
    ADD COLUMN work_phone VARCHAR(200),
    ADD COLUMN mobile_phone VARCHAR(200),
    ADD COLUMN office VARCHAR(200),
    ADD COLUMN cost_center VARCHAR(200),
    ADD COLUMN start_date VARCHAR(10),
    ADD COLUMN end_date VARCHAR(10),
    ADD COLUMN manager_id BIGINT,
    ADD CONSTRAINT users_manager_fk FOREIGN KEY (manager_id) REFERENCES users (id) ON DELETE SET NULL,
    ADD INDEX users_sort_job_title (job_title, id),
    ADD INDEX users_sort_department (department, id),
    ADD UNIQUE INDEX users_employee_id (employee_id),
    ADD INDEX users_sort_end_date (end_date, id),
    ADD INDEX users_manager (manager_id, id);
